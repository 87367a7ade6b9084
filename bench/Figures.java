import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedThread;
import jdk.jfr.consumer.RecordingFile;

/**
 * The figures bench/run.sh reads from its tools' outputs, and its other small helpers; JDK only (Java 17,
 * single-file launch: {@code java bench/Figures.java ...}). Each prints raw figures; the arithmetic on them is
 * bench/Report.java's.
 *
 * <pre>
 *   iperf3     JSON...             per iperf3 -J output: "bits_per_second bytes" of end.sum_received, as written
 *   alloc      JFR TOP-FILE        bytes allocated by the event-loop threads during the recording (the growth of
 *                                  their jdk.ThreadAllocationStatistics counters); the top allocation sites
 *                                  (jdk.ObjectAllocationSample weights) go to TOP-FILE
 *   profile    JFR OUT-FILE        the hottest methods of jdk.ExecutionSample: self time, and with two callers
 *   json-field FILE a.b.c          the value of a field of a JSON document ("" when there is none)
 *   free-ports N                   N distinct free TCP ports of 127.0.0.1, from the kernel
 *   jar-ok     JAR                 exit status 0 when the file is a complete zip (every entry's CRC checked)
 * </pre>
 */
public class Figures {

  public static void main(String[] args) throws Exception {
    if (args.length < 2) {
      usage();
    }
    switch (args[0]) {
      case "iperf3" -> {
        for (int i = 1; i < args.length; i++) {
          Object sum = field(Json.parse(Files.readString(Path.of(args[i]))), "end.sum_received");
          Object bps = field(sum, "bits_per_second");
          Object bytes = field(sum, "bytes");
          if (!(bps instanceof BigDecimal) || !(bytes instanceof BigDecimal)) {
            fail(args[i] + ": no end.sum_received.bits_per_second and .bytes");
          }
          System.out.println(((BigDecimal) bps).toPlainString() + " " + ((BigDecimal) bytes).toPlainString());
        }
      }
      case "alloc" -> alloc(Path.of(args[1]), Path.of(args[2]));
      case "profile" -> profile(Path.of(args[1]), Path.of(args[2]));
      case "json-field" -> {
        Object v;
        try {
          v = field(Json.parse(Files.readString(Path.of(args[1]))), args[2]);
        } catch (IOException | IllegalArgumentException e) {
          v = null;
        }
        System.out.println(v == null ? "" : v instanceof BigDecimal d ? d.toPlainString() : v.toString());
      }
      case "free-ports" -> {
        // all sockets are bound at once, so the ports are distinct
        List<ServerSocket> sockets = new ArrayList<>();
        StringBuilder ports = new StringBuilder();
        for (int i = 0; i < Integer.parseInt(args[1]); i++) {
          ServerSocket s = new ServerSocket();
          s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
          sockets.add(s);
          ports.append(i == 0 ? "" : " ").append(s.getLocalPort());
        }
        for (ServerSocket s : sockets) {
          s.close();
        }
        System.out.println(ports);
      }
      case "jar-ok" -> {
        byte[] buffer = new byte[1 << 16];
        try (ZipFile zip = new ZipFile(args[1])) {
          for (Enumeration<? extends ZipEntry> e = zip.entries(); e.hasMoreElements(); ) {
            try (InputStream in = zip.getInputStream(e.nextElement())) {
              while (in.read(buffer) >= 0) {
                // reading to the end checks the entry's CRC
              }
            }
          }
        } catch (IOException e) {
          fail(args[1] + ": " + e);
        }
      }
      default -> usage();
    }
  }

  static void usage() {
    fail("usage: java bench/Figures.java iperf3|alloc|profile|json-field|free-ports|jar-ok ... (see the comment at the top)");
  }

  static void fail(String message) {
    System.err.println(message);
    System.exit(1);
  }

  /** A field of nested JSON objects, by a dotted path; null when absent. */
  @SuppressWarnings("unchecked")
  static Object field(Object json, String dotted) {
    Object v = json;
    for (String name : dotted.split("\\.")) {
      if (!(v instanceof Map)) {
        return null;
      }
      v = ((Map<String, Object>) v).get(name);
    }
    return v;
  }

  // ------------------------------------------------------------------------------------------ JFR

  static boolean eventLoop(String threadName) {
    return threadName.contains("EventLoop") || threadName.contains("eventLoop");
  }

  static String javaName(RecordedThread t) {
    return t == null || t.getJavaName() == null ? "" : t.getJavaName();
  }

  /** A frame's class as the JFR file names it (java/lang/String), then its method. */
  static String frameType(RecordedFrame f) {
    return f.getMethod().getType().getName().replace('.', '/');
  }

  static void alloc(Path jfr, Path topFile) throws IOException {
    Map<String, List<Long>> perThread = new LinkedHashMap<>();
    Map<List<String>, Double> sites = new LinkedHashMap<>();
    for (RecordedEvent e : RecordingFile.readAllEvents(jfr)) {
      String type = e.getEventType().getName();
      if (type.equals("jdk.ThreadAllocationStatistics")) {
        RecordedThread t = e.getThread("thread");
        String name = javaName(t);
        if (name.isEmpty() && t != null && t.getOSName() != null) {
          name = t.getOSName();
        }
        if (eventLoop(name)) {
          perThread.computeIfAbsent(name, k -> new ArrayList<>()).add(e.getLong("allocated"));
        }
      } else if (type.equals("jdk.ObjectAllocationSample") && eventLoop(javaName(e.getThread()))) {
        List<RecordedFrame> frames = e.getStackTrace() == null ? List.of() : e.getStackTrace().getFrames();
        List<String> where = new ArrayList<>();
        for (RecordedFrame f : frames.subList(0, Math.min(3, frames.size()))) {
          where.add(frameType(f) + "." + f.getMethod().getName());
        }
        String cls = e.getClass("objectClass").getName().replace('.', '/');
        sites.merge(List.of(cls, String.join(" < ", where)), (double) e.getLong("weight"), Double::sum);
      }
    }
    long total = 0;
    boolean any = false;
    for (List<Long> a : perThread.values()) {
      if (a.size() >= 2) {
        total += a.stream().mapToLong(Long::longValue).max().getAsLong()
            - a.stream().mapToLong(Long::longValue).min().getAsLong();
        any = true;
      }
    }
    if (!any) {
      fail("no event-loop thread has two jdk.ThreadAllocationStatistics readings");
    }
    List<Map.Entry<List<String>, Double>> top = new ArrayList<>(sites.entrySet());
    top.sort((x, y) -> Double.compare(y.getValue(), x.getValue()));
    try (PrintWriter w = new PrintWriter(Files.newBufferedWriter(topFile, StandardCharsets.UTF_8))) {
      for (var s : top.subList(0, Math.min(8, top.size()))) {
        w.printf("%12.0f B  %s  %s%n", s.getValue(), s.getKey().get(0), s.getKey().get(1));
      }
    }
    System.out.println(total);
  }

  static void profile(Path jfr, Path outFile) throws IOException {
    Map<String, Integer> self = new LinkedHashMap<>();
    Map<String, Integer> chain = new LinkedHashMap<>();
    Map<String, Integer> threads = new LinkedHashMap<>();
    for (RecordedEvent e : RecordingFile.readAllEvents(jfr)) {
      if (!e.getEventType().getName().equals("jdk.ExecutionSample") || e.getStackTrace() == null
          || e.getStackTrace().getFrames().isEmpty()) {
        continue;
      }
      List<RecordedFrame> frames = e.getStackTrace().getFrames();
      List<String> names = new ArrayList<>();
      for (RecordedFrame f : frames.subList(0, Math.min(3, frames.size()))) {
        String type = frameType(f);
        names.add(type.substring(type.lastIndexOf('/') + 1) + "." + f.getMethod().getName());
      }
      self.merge(names.get(0), 1, Integer::sum);
      chain.merge(String.join(" < ", names), 1, Integer::sum);
      String thread = e.getThread("sampledThread") == null || javaName(e.getThread("sampledThread")).isEmpty()
          ? "?" : javaName(e.getThread("sampledThread"));
      threads.merge(thread.replaceAll("[0-9-]+$", ""), 1, Integer::sum);
    }
    int n = Math.max(1, self.values().stream().mapToInt(Integer::intValue).sum());
    try (PrintWriter w = new PrintWriter(Files.newBufferedWriter(outFile, StandardCharsets.UTF_8))) {
      List<String> byThread = new ArrayList<>();
      for (var t : mostCommon(threads, 5)) {
        byThread.add(t.getKey() + " " + (100 * t.getValue() / n) + "%");
      }
      w.println("samples: " + n + "; by thread: " + String.join(", ", byThread));
      for (var m : mostCommon(self, 15)) {
        w.println(percent(m.getValue(), n) + "  " + m.getKey());
      }
      w.println("-- with callers");
      for (var m : mostCommon(chain, 15)) {
        w.println(percent(m.getValue(), n) + "  " + m.getKey());
      }
    }
  }

  static List<Map.Entry<String, Integer>> mostCommon(Map<String, Integer> counts, int n) {
    List<Map.Entry<String, Integer>> l = new ArrayList<>(counts.entrySet());
    l.sort((x, y) -> Integer.compare(y.getValue(), x.getValue())); // stable: ties keep their first-seen order
    return l.subList(0, Math.min(n, l.size()));
  }

  static String percent(int count, int total) {
    String p = new BigDecimal(100.0 * count / total).setScale(1, RoundingMode.HALF_EVEN).toPlainString();
    return " ".repeat(Math.max(0, 5 - p.length())) + p + "%";
  }

  // ------------------------------------------------------------------------------------------ JSON

  /** A small JSON reader: objects as maps, arrays as lists, numbers as BigDecimal (exactly as written). */
  static final class Json {
    final String s;
    int i;

    Json(String s) {
      this.s = s;
    }

    static Object parse(String text) {
      Json j = new Json(text);
      Object v = j.value();
      j.space();
      if (j.i != text.length()) {
        throw j.error("trailing characters");
      }
      return v;
    }

    IllegalArgumentException error(String what) {
      return new IllegalArgumentException("JSON: " + what + " at offset " + i);
    }

    void space() {
      while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
        i++;
      }
    }

    Object value() {
      space();
      if (i >= s.length()) {
        throw error("unexpected end");
      }
      char c = s.charAt(i);
      switch (c) {
        case '{' -> {
          i++;
          Map<String, Object> m = new LinkedHashMap<>();
          space();
          if (s.charAt(i) == '}') {
            i++;
            return m;
          }
          while (true) {
            space();
            String key = string();
            space();
            expect(':');
            m.put(key, value());
            space();
            if (s.charAt(i) == ',') {
              i++;
            } else {
              expect('}');
              return m;
            }
          }
        }
        case '[' -> {
          i++;
          List<Object> l = new ArrayList<>();
          space();
          if (s.charAt(i) == ']') {
            i++;
            return l;
          }
          while (true) {
            l.add(value());
            space();
            if (s.charAt(i) == ',') {
              i++;
            } else {
              expect(']');
              return l;
            }
          }
        }
        case '"' -> {
          return string();
        }
        default -> {
          for (String word : new String[] {"true", "false", "null"}) {
            if (s.startsWith(word, i)) {
              i += word.length();
              return word.equals("null") ? null : Boolean.valueOf(word);
            }
          }
          int start = i;
          while (i < s.length() && "+-0123456789.eE".indexOf(s.charAt(i)) >= 0) {
            i++;
          }
          if (start == i) {
            throw error("unexpected '" + c + "'");
          }
          return new BigDecimal(s.substring(start, i));
        }
      }
    }

    void expect(char c) {
      if (i >= s.length() || s.charAt(i) != c) {
        throw error("expected '" + c + "'");
      }
      i++;
    }

    String string() {
      expect('"');
      StringBuilder b = new StringBuilder();
      while (true) {
        if (i >= s.length()) {
          throw error("unterminated string");
        }
        char c = s.charAt(i++);
        if (c == '"') {
          return b.toString();
        }
        if (c != '\\') {
          b.append(c);
          continue;
        }
        char e = s.charAt(i++);
        switch (e) {
          case 'n' -> b.append('\n');
          case 't' -> b.append('\t');
          case 'r' -> b.append('\r');
          case 'b' -> b.append('\b');
          case 'f' -> b.append('\f');
          case 'u' -> {
            b.append((char) Integer.parseInt(s.substring(i, i + 4), 16));
            i += 4;
          }
          default -> b.append(e);
        }
      }
    }
  }
}
