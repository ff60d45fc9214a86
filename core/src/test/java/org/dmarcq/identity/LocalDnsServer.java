package org.dmarcq.identity;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;

/**
 * A real DNS server for tests, on a loopback UDP port: answers from records given as zone-file
 * lines, NXDOMAIN for names it does not know, and nothing at all for names it is told to ignore
 * (a timeout). Counts the queries it receives.
 */
public final class LocalDnsServer implements AutoCloseable {
    private final DatagramSocket socket;
    private final Map<String, List<Record>> records = new HashMap<>();
    private final Set<String> silent = new HashSet<>();
    private final AtomicInteger queries = new AtomicInteger();
    private final Thread loop;

    /** @param zone records in master-file syntax, one per line, names absolute */
    public LocalDnsServer(List<String> zone, List<String> silentNames) throws IOException {
        this(parse(zone).toArray(Record[]::new), silentNames);
    }

    /** Serves the records of zone files (master-file syntax, as dnsjava reads them). */
    public static LocalDnsServer of(List<java.nio.file.Path> zoneFiles, List<String> silentNames) throws IOException {
        List<Record> records = new ArrayList<>();
        for (java.nio.file.Path file : zoneFiles) {
            try (org.xbill.DNS.Master master = new org.xbill.DNS.Master(file.toString())) {
                for (Record r = master.nextRecord(); r != null; r = master.nextRecord()) {
                    records.add(r);
                }
            }
        }
        return new LocalDnsServer(records.toArray(Record[]::new), silentNames);
    }

    private LocalDnsServer(Record[] zone, List<String> silentNames) throws IOException {
        for (Record r : zone) {
            records.computeIfAbsent(key(r.getName(), r.getType()), k -> new ArrayList<>()).add(r);
            records.putIfAbsent(r.getName().toString().toLowerCase(), new ArrayList<>());
        }
        for (String name : silentNames) {
            silent.add(name.toLowerCase());
        }
        socket = new DatagramSocket(0, InetAddress.getLoopbackAddress());
        loop = new Thread(this::serve, "local-dns");
        loop.setDaemon(true);
        loop.start();
    }

    private static List<Record> parse(List<String> zone) throws IOException {
        List<Record> parsed = new ArrayList<>();
        for (String line : zone) {
            parsed.add(Record.fromString(Name.fromString(line.split("\\s+")[0]), org.xbill.DNS.Type.value(line.split("\\s+")[2]),
                    org.xbill.DNS.DClass.IN, 300, line.split("\\s+", 4)[3], Name.root));
        }
        return parsed;
    }

    public InetSocketAddress address() {
        return new InetSocketAddress(InetAddress.getLoopbackAddress(), socket.getLocalPort());
    }

    public int queries() {
        return queries.get();
    }

    private static String key(Name name, int type) {
        return name.toString().toLowerCase() + " " + type;
    }

    private void serve() {
        byte[] buffer = new byte[4096];
        while (!socket.isClosed()) {
            try {
                DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
                socket.receive(packet);
                queries.incrementAndGet();
                Message query = new Message(java.util.Arrays.copyOf(packet.getData(), packet.getLength()));
                Record question = query.getQuestion();
                String name = question.getName().toString().toLowerCase();
                if (silent.contains(name)) {
                    continue;
                }
                Message response = new Message(query.getHeader().getID());
                response.getHeader().setFlag(Flags.QR);
                response.getHeader().setFlag(Flags.RD);
                response.getHeader().setFlag(Flags.RA);
                response.addRecord(question, Section.QUESTION);
                List<Record> answers = records.get(key(question.getName(), question.getType()));
                if (answers != null) {
                    answers.forEach(a -> response.addRecord(a, Section.ANSWER));
                } else if (!records.containsKey(name)) {
                    response.getHeader().setRcode(Rcode.NXDOMAIN);
                }
                byte[] out = response.toWire();
                socket.send(new DatagramPacket(out, out.length, packet.getSocketAddress()));
            } catch (SocketException closed) {
                return;
            } catch (IOException e) {
                // a malformed query: ignore it, as a server would
            }
        }
    }

    @Override
    public void close() throws InterruptedException {
        socket.close();
        loop.join(2000);
    }
}
