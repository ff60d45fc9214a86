package org.dmarcq.report;

import static org.assertj.core.api.Assertions.assertThat;

import com.ctc.wstx.stax.WstxInputFactory;
import jakarta.xml.bind.JAXBContext;
import jakarta.xml.bind.annotation.XmlAccessType;
import jakarta.xml.bind.annotation.XmlAccessorType;
import jakarta.xml.bind.annotation.XmlElement;
import jakarta.xml.bind.annotation.XmlRootElement;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import javax.xml.XMLConstants;
import javax.xml.namespace.QName;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamReader;
import javax.xml.stream.util.StreamReaderDelegate;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/** {@link Binder} must bind exactly what the JAXB runtime binds from the same annotations. */
class BinderTest {
    /** The whole document, for this comparison only: the reader streams records instead. */
    @XmlRootElement(name = "feedback")
    @XmlAccessorType(XmlAccessType.FIELD)
    static final class Feedback {
        @XmlElement(name = "report_metadata") ReportMetadata metadata;
        @XmlElement(name = "policy_published") List<PolicyPublished> policies = new ArrayList<>();
        @XmlElement(name = "record") List<ReportRecord> records = new ArrayList<>();
    }

    /** To the {@code feedback} element: the root, or inside a wrapper some reporters put around it. */
    private static void toFeedback(XMLStreamReader xml) throws Exception {
        while (xml.next() != XMLStreamConstants.START_ELEMENT || !xml.getLocalName().equals("feedback")) {
            // past the prolog and any wrapper
        }
    }

    @TestFactory
    Stream<DynamicTest> bindsLikeTheJaxbRuntime() throws Exception {
        List<Path> wellFormed;
        try (Stream<Path> files = Files.list(Path.of("testdata/reports"))) {
            wellFormed = files.filter(p -> p.toString().endsWith(".xml")).sorted()
                    .filter(BinderTest::parsesStrictly).toList();
        }
        assertThat(wellFormed).hasSizeGreaterThan(20);
        JAXBContext context = JAXBContext.newInstance(Feedback.class);
        return wellFormed.stream().map(file -> DynamicTest.dynamicTest(file.getFileName().toString(), () -> {
            Feedback expected;
            try (InputStream in = Files.newInputStream(file)) {
                XMLStreamReader xml = new NamespaceBlind(factory().createXMLStreamReader(in));
                toFeedback(xml);
                expected = context.createUnmarshaller().unmarshal(xml, Feedback.class).getValue();
            }
            Feedback actual;
            List<String> bad = new ArrayList<>();
            try (InputStream in = Files.newInputStream(file)) {
                XMLStreamReader xml = factory().createXMLStreamReader(in);
                toFeedback(xml);
                actual = Binder.bind(xml, Feedback.class, bad::add, new Binder.TextBudget(Integer.MAX_VALUE));
            }
            assertThat(expected.records).as("records the JAXB runtime found").isNotEmpty();
            assertThat(actual).usingRecursiveComparison().isEqualTo(expected);
        }));
    }

    private static boolean parsesStrictly(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            XMLStreamReader xml = factory().createXMLStreamReader(in);
            while (xml.hasNext()) {
                xml.next();
            }
            return true;
        } catch (Exception e) {
            return false; // fixtures that need repair, another encoding or junk skipping
        }
    }

    private static XMLInputFactory factory() {
        XMLInputFactory f = new WstxInputFactory();
        f.setProperty(XMLInputFactory.SUPPORT_DTD, false);
        f.setProperty(XMLInputFactory.IS_COALESCING, true);
        return f;
    }

    /** Lets the JAXB runtime match elements by local name, as Binder does. */
    static final class NamespaceBlind extends StreamReaderDelegate {
        NamespaceBlind(XMLStreamReader reader) {
            super(reader);
        }

        @Override public String getNamespaceURI() { return XMLConstants.NULL_NS_URI; }
        @Override public String getPrefix() { return XMLConstants.DEFAULT_NS_PREFIX; }
        @Override public QName getName() { return new QName(getLocalName()); }
        @Override public int getNamespaceCount() { return 0; }
    }
}
