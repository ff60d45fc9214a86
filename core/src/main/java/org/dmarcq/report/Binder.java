package org.dmarcq.report;

import jakarta.xml.bind.annotation.XmlAccessorType;
import jakarta.xml.bind.annotation.XmlElement;
import jakarta.xml.bind.annotation.XmlTransient;
import jakarta.xml.bind.annotation.adapters.XmlAdapter;
import jakarta.xml.bind.annotation.adapters.XmlJavaTypeAdapter;
import java.lang.invoke.CallSite;
import java.lang.invoke.LambdaMetafactory;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Supplier;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

/**
 * Binds one element of a StAX stream into the JAXB-annotated report model, reading the mapping
 * from the model's own {@code @XmlElement} and {@code @XmlJavaTypeAdapter} annotations, so the
 * annotations stay the one description of the format. It does the subset of JAXB the model uses
 * (field access, nested types, repeated elements, adapters), matches elements by local name
 * whatever their namespace (spec D1-D3), ignores attributes (D20) and skips unknown elements
 * (D10). It exists for speed: the JAXB runtime spends most of a report's parse time setting
 * itself up for each {@code record}; the tests check this binder against the JAXB runtime.
 */
final class Binder {
    private static final ClassValue<Shape> SHAPES = new ClassValue<>() {
        @Override
        protected Shape computeValue(Class<?> type) {
            return new Shape(type);
        }
    };

    private Binder() {}

    /**
     * Binds the element the reader rests on (a START_ELEMENT) into a new {@code type}; leaves the
     * reader on the event after its end tag. Values an adapter rejects are left null and their
     * messages given to {@code badValues}. The text of all its values together may not exceed the
     * budget, which is reset first.
     */
    static <T> T bind(XMLStreamReader xml, Class<T> type, Consumer<String> badValues, TextBudget budget)
            throws XMLStreamException {
        budget.used = 0;
        T value = type.cast(SHAPES.get(type).read(xml, badValues, budget));
        xml.next();
        return value;
    }

    /** How many characters of text one element may bind, all its values together, and how many it did. */
    static final class TextBudget {
        private final int limit;
        private int used;

        TextBudget(int limit) {
            this.limit = limit;
        }

        int limit() {
            return limit;
        }

        /** Characters bound by the last {@link #bind}. */
        int used() {
            return used;
        }

        private void spend(int chars, XMLStreamReader xml) throws TooMuchText {
            used += chars;
            if (used > limit || used < 0) {
                throw new TooMuchText(limit, xml.getLocation());
            }
        }
    }

    /** An element holds more text than its {@link TextBudget}. */
    static final class TooMuchText extends XMLStreamException {
        final int limit;

        TooMuchText(int limit, javax.xml.stream.Location location) {
            super("more than " + limit + " characters of text", location);
            this.limit = limit;
        }
    }

    /** How one model class maps to XML. */
    private static final class Shape {
        private final Supplier<?> constructor;
        private final Map<String, Child> children = new HashMap<>();

        Shape(Class<?> type) {
            if (type.getAnnotation(XmlAccessorType.class) == null) {
                throw new IllegalArgumentException(type + " is not a model class");
            }
            this.constructor = constructor(type);
            for (Field field : type.getDeclaredFields()) {
                if (Modifier.isStatic(field.getModifiers()) || field.isAnnotationPresent(XmlTransient.class)) {
                    continue;
                }
                XmlElement element = field.getAnnotation(XmlElement.class);
                if (element == null) {
                    continue;
                }
                field.setAccessible(true);
                children.put(element.name(), new Child(field, adapter(field), List.class.isAssignableFrom(field.getType())));
            }
        }

        Object read(XMLStreamReader xml, Consumer<String> badValues, TextBudget budget) throws XMLStreamException {
            Object target = constructor.get();
            while (true) {
                int event = xml.next();
                if (event == XMLStreamConstants.END_ELEMENT) {
                    return target;
                }
                if (event != XMLStreamConstants.START_ELEMENT) {
                    continue;
                }
                Child child = children.get(xml.getLocalName());
                if (child == null) {
                    skip(xml);
                } else {
                    child.read(xml, target, badValues, budget);
                }
            }
        }
    }

    /** One child element: a field, with the adapter that turns its text into a value, or a nested class. */
    private record Child(Field field, XmlAdapter<String, ?> adapter, boolean list) {
        void read(XMLStreamReader xml, Object target, Consumer<String> badValues, TextBudget budget)
                throws XMLStreamException {
            Object value;
            if (adapter != null) {
                String text = text(xml, budget);
                try {
                    value = adapter.unmarshal(text);
                } catch (Normalize.BadValue e) {
                    badValues.accept(e.getMessage());
                    return;
                } catch (Exception e) {
                    throw new IllegalStateException("adapter failed on " + field, e);
                }
            } else {
                value = SHAPES.get(elementType()).read(xml, badValues, budget);
            }
            try {
                if (list) {
                    @SuppressWarnings("unchecked")
                    List<Object> values = (List<Object>) field.get(target);
                    if (value != null) {
                        values.add(value);
                    }
                } else {
                    field.set(target, value);
                }
            } catch (IllegalAccessException e) {
                throw new IllegalStateException("cannot set " + field, e);
            }
        }

        private Class<?> elementType() {
            if (!list) {
                return field.getType();
            }
            java.lang.reflect.ParameterizedType generic = (java.lang.reflect.ParameterizedType) field.getGenericType();
            return (Class<?>) generic.getActualTypeArguments()[0];
        }
    }

    /** The no-argument constructor as a Supplier: reflective construction was a tenth of the parse time. */
    private static Supplier<?> constructor(Class<?> type) {
        try {
            MethodHandles.Lookup lookup = MethodHandles.privateLookupIn(type, MethodHandles.lookup());
            MethodHandle constructor = lookup.findConstructor(type, MethodType.methodType(void.class));
            CallSite site = LambdaMetafactory.metafactory(lookup, "get", MethodType.methodType(Supplier.class),
                    MethodType.methodType(Object.class), constructor, MethodType.methodType(type));
            return (Supplier<?>) site.getTarget().invokeExact();
        } catch (Throwable e) {
            throw new IllegalArgumentException(type + " needs a no-argument constructor", e);
        }
    }

    @SuppressWarnings("unchecked")
    private static XmlAdapter<String, ?> adapter(Field field) {
        XmlJavaTypeAdapter annotation = field.getAnnotation(XmlJavaTypeAdapter.class);
        if (annotation == null) {
            return null;
        }
        try {
            Constructor<?> constructor = annotation.value().getDeclaredConstructor();
            constructor.setAccessible(true);
            return (XmlAdapter<String, ?>) constructor.newInstance();
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot create the adapter of " + field, e);
        }
    }

    /**
     * The text of a simple element, any elements inside it ignored; the reader ends on its end tag.
     * An entity reference is an error: with no DTD, only the five predefined entities exist (and
     * the parser replaces those itself).
     */
    static String text(XMLStreamReader xml, TextBudget budget) throws XMLStreamException {
        String first = null;
        StringBuilder more = null;
        while (true) {
            int event = xml.next();
            switch (event) {
                case XMLStreamConstants.ENTITY_REFERENCE -> throw new XMLStreamException(
                        "undeclared entity &" + xml.getLocalName() + ";", xml.getLocation());
                case XMLStreamConstants.CHARACTERS, XMLStreamConstants.CDATA, XMLStreamConstants.SPACE -> {
                    budget.spend(xml.getTextLength(), xml);
                    if (first == null) {
                        first = xml.getText();
                    } else {
                        if (more == null) {
                            more = new StringBuilder(first);
                        }
                        more.append(xml.getText());
                    }
                }
                case XMLStreamConstants.START_ELEMENT -> skip(xml);
                case XMLStreamConstants.END_ELEMENT -> {
                    return more != null ? more.toString() : first == null ? "" : first;
                }
                default -> {
                    // comments and processing instructions carry no value
                }
            }
        }
    }

    /** Skips the element the reader rests on; the reader ends on its end tag. */
    static void skip(XMLStreamReader xml) throws XMLStreamException {
        int depth = 1;
        while (depth > 0) {
            int event = xml.next();
            if (event == XMLStreamConstants.START_ELEMENT) {
                depth++;
            } else if (event == XMLStreamConstants.END_ELEMENT) {
                depth--;
            }
        }
    }
}
