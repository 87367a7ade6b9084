import java.io.IOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The report of bench/run.sh, JDK only (Java 17, single-file launch: {@code java bench/Report.java ...}).
 *
 * <p>run.sh records raw figures, one per line of {@code raw.tsv}: {@code metric<TAB>path<TAB>pass<TAB>value}
 * (bytes and bits/s as iperf3 reported them, CPU clock ticks, PSS in kB, event-loop bytes allocated, ...).
 * This program derives the per-pass figures from them (GB/s, CPU per GB, per connection, per handshake, per
 * idle connection, ...), averages the two passes, and writes the markdown report: the table with the ratios
 * to direct and to the better peer, the notes, every pass's figures, the versions and the problems.
 *
 * <pre>
 *   java bench/Report.java --raw=raw.tsv --versions=versions.txt --problems=problems.txt --out=result.md
 *        --command="..." --duration=5 --connections=5000 --ab-requests=20000 --ab-concurrency=16
 *        --tls-clients=2 --clk-tck=100 [--expect-only="iperf sockperf ..." --expect-paths="direct gatehouse ..."]
 * </pre>
 *
 * With {@code --expect-only} and {@code --expect-paths} (the smoke run), it exits with status 3 when a cell of
 * those measurements and paths has no figure in either pass; the report is written first.
 */
public class Report {

  static final List<String> PATHS = List.of("direct", "haproxy", "nginx", "gatehouse", "lever");
  static final Map<String, String> NAMES = Map.of("direct", "direct", "haproxy", "HAProxy", "nginx", "nginx",
      "gatehouse", "Gatehouse", "lever", "lever");

  /** A row of the table: key, label, which direction wins, decimals, whether Gatehouse ÷ direct applies. */
  record Metric(String key, String label, String better, int decimals, boolean directIsBaseline) {}

  static final List<Metric> METRICS = List.of(
      new Metric("iperf_p1", "iperf3 -P 1, Gbit/s", "higher", 2, true),
      new Metric("iperf_p4", "iperf3 -P 4, Gbit/s", "higher", 2, true),
      new Metric("iperf_r", "iperf3 -R, Gbit/s", "higher", 2, true),
      new Metric("cpu_p1", "proxy CPU s per GB, -P 1", "lower", 2, false),
      new Metric("cpu_p4", "proxy CPU s per GB, -P 4", "lower", 2, false),
      new Metric("cpu_r", "proxy CPU s per GB, -R", "lower", 2, false),
      new Metric("rt_p50", "64 B round trip p50, µs, CPUs as the scheduler places them ⁸", "lower", 1, true),
      new Metric("rt_p99", "64 B round trip p99, µs, CPUs as the scheduler places them ⁸", "lower", 1, true),
      new Metric("rt1_p50", "64 B round trip p50, µs, all on one CPU ⁸", "lower", 1, true),
      new Metric("rt1_p99", "64 B round trip p99, µs, all on one CPU ⁸", "lower", 1, true),
      new Metric("rto_p50", "64 B round trip p50, µs, the proxy on a CPU of its own ⁸", "lower", 1, true),
      new Metric("rto_p99", "64 B round trip p99, µs, the proxy on a CPU of its own ⁸", "lower", 1, true),
      new Metric("cps", "new connections/s, PROXY v1 to origin ¹", "higher", 0, true),
      new Metric("cpu_cps", "proxy CPU µs per new connection ¹", "lower", 0, false),
      new Metric("ksh_cps", "share of that CPU in the kernel, % ¹ ⁶", "lower", 0, false),
      new Metric("cs_cps", "proxy context switches per new connection ¹ ⁶", "lower", 2, false),
      new Metric("rw_cps", "proxy read/write(v) system calls per new connection ¹ ⁶", "lower", 1, false),
      new Metric("cps_v2", "new connections/s, PROXY v2 to origin ⁵", "higher", 0, false),
      new Metric("cpu_cps_v2", "proxy CPU µs per new connection, PROXY v2 ⁵", "lower", 0, false),
      new Metric("cps_none", "new connections/s, no PROXY header ⁵", "higher", 0, true),
      new Metric("cpu_cps_none", "proxy CPU µs per new connection, no PROXY header ⁵", "lower", 0, false),
      new Metric("tls_hs", "TLS 1.3 handshakes/s ²", "higher", 0, false),
      new Metric("cpu_hs", "proxy CPU µs per TLS handshake ²", "lower", 0, false),
      new Metric("tls_bulk", "TLS 1.3 bulk, Gbit/s ²", "higher", 2, false),
      new Metric("mem_kb", "anonymous PSS per idle connection, KB ³", "lower", 2, false),
      new Metric("mem_heap_kb", "of which Gatehouse's live Java heap, KB ³", "lower", 2, false),
      new Metric("mem_pss_kb", "total PSS per idle connection, KB ³", "lower", 2, false),
      new Metric("mem_rest_mb", "proxy PSS before the idle connections, MB ³", "lower", 1, false),
      new Metric("alloc_per_mb", "Gatehouse event-loop heap allocation per MB relayed, bytes ⁴", "lower", 1, false),
      new Metric("alloc_per_conn", "Gatehouse event-loop heap allocation per new connection, bytes ⁴", "lower", 0,
          false),
      new Metric("start_accept_ms", "ms from process start until a listener accepts, as shipped ⁷", "lower", 0, false),
      new Metric("start_api_ms", "ms from process start until the API is ready ⁷", "lower", 0, false),
      new Metric("start_rss_mb", "resident memory (VmRSS) after connections and a bulk transfer, MB ⁷", "lower", 1,
          false),
      new Metric("start_cps", "new connections/s, PROXY v1, the first ones after process start (cold) ⁷", "higher",
          0, false),
      new Metric("start_cpu_cps", "proxy CPU µs per new connection, cold ⁷", "lower", 0, false),
      new Metric("start_jit_cps", "of which Gatehouse's JIT compiler threads, cold, % ⁷", "lower", 0, false),
      new Metric("start_pg_accept_ms", "PostgreSQL: ms until a listener accepts ⁷", "lower", 0, false),
      new Metric("start_pg_api_ms", "PostgreSQL: ms until the API is ready ⁷", "lower", 0, false),
      new Metric("start_pg_rss_mb", "PostgreSQL: resident memory (VmRSS), MB ⁷", "lower", 1, false));

  /**
   * The start-up rows: a figure per start (metric {@code <row>_run}, pass {@code <pass>.<start>}; kB for memory);
   * a pass shows the median of its starts, the table the median of all starts of both passes.
   */
  static final Map<String, String> START_RUNS = Map.of(
      "start_accept_ms_run", "start_accept_ms", "start_api_ms_run", "start_api_ms", "start_rss_kb_run", "start_rss_mb",
      "start_pg_accept_ms_run", "start_pg_accept_ms", "start_pg_api_ms_run", "start_pg_api_ms",
      "start_pg_rss_kb_run", "start_pg_rss_mb", "start_cps_run", "start_cps", "start_cpu_cps_run", "start_cpu_cps",
      "start_jit_cps_run", "start_jit_cps");

  /**
   * Rows a path has no figure for: direct has no proxy and cannot send a PROXY header (ab cannot); nginx's
   * stream module sends PROXY v1 only.
   */
  static final Map<String, Set<String>> NOT_APPLICABLE = Map.of(
      "direct", Set.of("cpu_p1", "cpu_p4", "cpu_r", "cpu_cps", "ksh_cps", "cs_cps", "rw_cps", "cpu_hs", "mem_kb",
          "mem_pss_kb", "mem_rest_mb", "alloc_per_mb", "alloc_per_conn", "mem_heap_kb", "cps_v2", "cpu_cps_v2",
          "cpu_cps_none", "start_accept_ms", "start_api_ms", "start_rss_mb", "start_cps", "start_cpu_cps",
          "start_jit_cps", "start_pg_accept_ms", "start_pg_api_ms", "start_pg_rss_mb"),
      "haproxy", Set.of("start_api_ms", "start_jit_cps", "start_pg_accept_ms", "start_pg_api_ms",
          "start_pg_rss_mb"),
      "nginx", Set.of("cps_v2", "cpu_cps_v2", "start_api_ms", "start_jit_cps", "start_pg_accept_ms",
          "start_pg_api_ms", "start_pg_rss_mb"));

  /** The figures each measurement of ONLY must produce, for every path ("all") or for the proxies only. */
  static final Map<String, List<String[]>> EXPECTED = Map.of(
      "iperf", List.of(new String[] {"all", "iperf_p1", "iperf_p4", "iperf_r"},
          new String[] {"proxies", "cpu_p1", "cpu_p4", "cpu_r"}),
      "sockperf",
          List.<String[]>of(new String[] {"all", "rt_p50", "rt_p99", "rt1_p50", "rt1_p99", "rto_p50", "rto_p99"}),
      "ab", List.of(new String[] {"all", "cps"}, new String[] {"proxies", "cpu_cps"}),
      "ab_pp", List.<String[]>of(new String[] {"all", "cps_v2", "cpu_cps_v2", "cps_none", "cpu_cps_none"}),
      "tls_handshake", List.of(new String[] {"all", "tls_hs"}, new String[] {"proxies", "cpu_hs"}),
      "tls_bulk", List.<String[]>of(new String[] {"all", "tls_bulk"}),
      "memory", List.<String[]>of(new String[] {"proxies", "mem_kb", "mem_heap_kb", "mem_pss_kb", "mem_rest_mb"}),
      "alloc", List.<String[]>of(new String[] {"gatehouses", "alloc_per_mb", "alloc_per_conn"}),
      // PostgreSQL is measured when the machine has it (run.sh says so when it has not): not expected
      "startup", List.of(new String[] {"proxies", "start_accept_ms", "start_rss_mb", "start_cps", "start_cpu_cps"},
          new String[] {"gatehouses", "start_api_ms", "start_jit_cps"}));

  /**
   * Raw inputs that are not shown as such: run.sh records them, the figures below are derived from them.
   * Every other metric of raw.tsv (round trips, ab's rate, TLS bulk, PSS before and after) is a figure itself.
   */
  static final Set<String> INPUTS_ONLY = Set.of(
      "iperf_p1_bps", "iperf_p4_bps", "iperf_r_bps", "iperf_p1_bytes", "iperf_p4_bytes", "iperf_r_bytes",
      "cpu_p1_ticks", "cpu_p4_ticks", "cpu_r_ticks", "cpu_cps_ticks", "cpu_cps_v2_ticks",
      "cpu_cps_none_ticks", "stime_cps_ticks", "stime_cps_v2_ticks", "stime_cps_none_ticks", "rw_cps_calls",
      "rw_cps_v2_calls", "rw_cps_none_calls", "vcs_cps_count", "vcs_cps_v2_count", "vcs_cps_none_count",
      "ics_cps_count", "ics_cps_v2_count", "ics_cps_none_count", "tls_hs_count", "tls_hs_ns", "cpu_hs_ticks",
      "mem_pss_base_kb", "mem_anon_base_kb", "mem_heap_before_kb", "mem_heap_after_kb",
      "alloc_iperf_allocated", "alloc_iperf_bytes", "alloc_ab_allocated", "start_accept_ms_run", "start_api_ms_run",
      "start_rss_kb_run", "start_pg_accept_ms_run", "start_pg_api_ms_run", "start_pg_rss_kb_run", "start_cps_run",
      "start_cpu_cps_run", "start_jit_cps_run");

  /** A figure as written (a decimal string) and as a number. */
  record Value(String text, double number) {
    static Value parse(String text) {
      String t = text.trim();
      new BigDecimal(t); // only decimal numbers are figures
      return new Value(t, Double.parseDouble(t));
    }

    /** The shortest form of the number, as Python's repr of a float prints it: 0.830 as 0.83, 9567 as 9567.0. */
    String repr() {
      BigDecimal d = new BigDecimal(text).stripTrailingZeros();
      String s = d.signum() == 0 ? (text.startsWith("-") ? "-0" : "0") : d.toPlainString();
      return s.contains(".") ? s : s + ".0";
    }
  }

  final Map<String, String> options = new HashMap<>();
  /** (metric, path) to pass to value, in the order of raw.tsv. */
  final Map<String, Map<String, Map<String, Value>>> raw = new LinkedHashMap<>();
  final Map<String, Map<String, Map<String, Value>>> vals = new LinkedHashMap<>();
  /** The start-up figures of every start, both passes: (row, path) to values (ms, MB). */
  final Map<String, Map<String, List<Double>>> starts = new LinkedHashMap<>();
  /** Every (metric, path) of raw.tsv that is a figure, parsed or not: a path in it is a column of the table. */
  final Set<String> recordedPaths = new LinkedHashSet<>();

  public static void main(String[] args) throws IOException {
    Report r = new Report();
    for (String a : args) {
      if (!a.startsWith("--") || !a.contains("=")) {
        System.err.println("usage: java bench/Report.java --name=value ... (see the comment at the top)");
        System.exit(2);
      }
      r.options.put(a.substring(2, a.indexOf('=')), a.substring(a.indexOf('=') + 1));
    }
    if (args.length == 0) {
      System.err.println("usage: java bench/Report.java --raw=raw.tsv --versions=... (see the comment at the top)");
      System.exit(2);
    }
    System.exit(r.run());
  }

  String opt(String name) {
    String v = options.get(name);
    if (v == null) {
      throw new IllegalArgumentException("missing --" + name + "=...");
    }
    return v;
  }

  int run() throws IOException {
    readRaw(Path.of(opt("raw")));
    derive();
    String table = table();
    String notes = notes();
    String versions = Files.readString(Path.of(opt("versions"))).strip();
    String problems = Files.readString(Path.of(opt("problems"))).strip();
    boolean lever = shownPaths().contains("lever");

    System.out.println(table);
    System.out.println();
    System.out.println(notes);
    StringBuilder f = new StringBuilder();
    f.append("# Gatehouse vs HAProxy vs nginx (stream), one run on 127.0.0.1\n\n");
    if (lever) {
      f.append("**lever**: a second Gatehouse, measured right after the first in each pass: see its arguments below.\n\n");
    }
    f.append("Command: `").append(opt("command")).append("`\n\n");
    f.append("```\n").append(versions).append("\n```\n\n");
    f.append(table).append("\n\n").append(notes).append("\n\n");
    f.append("## Raw numbers (every pass)\n\n").append(rawTable()).append("\n\n");
    f.append("mem_*_before_kb / mem_*_after_kb: Pss / Pss_Anon of the proxy's processes in kB; rt_*: µs; cps, cps_v2, cps_none and tls_hs: per second.\n\n");
    f.append("## Problems\n\n").append(problems.isEmpty() ? "None." : problems).append("\n");
    Path out = Path.of(opt("out"));
    Files.writeString(out, f.toString(), StandardCharsets.UTF_8);
    System.err.println("\nwritten to " + out);
    return checkComplete();
  }

  // ------------------------------------------------------------------------------------------ raw figures

  void readRaw(Path file) throws IOException {
    // ONLY may name a measurement more than once ("sockperf sockperf sockperf"): each repetition records its passes
    // again, so the n-th record of a (metric, path, pass) is pass "<pass>/<n>", and every one of them is a figure.
    Map<String, Integer> seen = new HashMap<>();
    for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
      if (line.isBlank()) {
        continue;
      }
      String[] c = line.split("\t", -1);
      if (c.length != 4) {
        throw new IllegalArgumentException("raw.tsv: not 4 columns: " + line);
      }
      boolean input = INPUTS_ONLY.contains(c[0]);
      recordedPaths.add(c[1]);
      Map<String, Map<String, Map<String, Value>>> into = input ? raw : vals;
      Map<String, Value> passes = into.computeIfAbsent(c[0], k -> new LinkedHashMap<>())
          .computeIfAbsent(c[1], k -> new LinkedHashMap<>());
      int n = seen.merge(c[0] + "\t" + c[1] + "\t" + c[2], 1, Integer::sum);
      try {
        passes.put(n == 1 ? c[2] : c[2] + "/" + n, Value.parse(c[3]));
      } catch (NumberFormatException e) {
        // not a number: no figure (the problem is in problems.txt)
      }
    }
  }

  double in(String metric, String path, String pass) {
    return raw.get(metric).get(path).get(pass).number();
  }

  boolean has(String metric, String path, String pass) {
    return raw.containsKey(metric) && raw.get(metric).containsKey(path) && raw.get(metric).get(path).containsKey(pass);
  }

  /** Records a derived figure, written with the given decimals (as the raw table shows it). */
  void put(String metric, String path, String pass, double value, int decimals) {
    if (Double.isNaN(value) || Double.isInfinite(value)) {
      return;
    }
    put(metric, path, pass, decimal(value, decimals));
  }

  void put(String metric, String path, String pass, String text) {
    recordedPaths.add(path);
    vals.computeIfAbsent(metric, k -> new LinkedHashMap<>()).computeIfAbsent(path, k -> new LinkedHashMap<>())
        .put(pass, Value.parse(text));
  }

  /** The figures of the table from the raw inputs, per path and pass (formulas as documented in the notes). */
  void derive() {
    double hz = Double.parseDouble(opt("clk-tck"));
    double connections = Double.parseDouble(opt("connections"));
    double abRequests = Double.parseDouble(opt("ab-requests"));
    for (String metric : new ArrayList<>(raw.keySet())) {
      for (String path : new ArrayList<>(raw.get(metric).keySet())) {
        for (String pass : new ArrayList<>(raw.get(metric).get(path).keySet())) {
          switch (metric) {
            case "iperf_p1_bps", "iperf_p4_bps", "iperf_r_bps" -> {
              String mode = metric.substring("iperf_".length(), metric.length() - "_bps".length());
              put("iperf_" + mode, path, pass, in(metric, path, pass) / 1e9, 3);
              if (has("cpu_" + mode + "_ticks", path, pass) && has("iperf_" + mode + "_bytes", path, pass)) {
                double gb = in("iperf_" + mode + "_bytes", path, pass) / 1e9;
                put("cpu_" + mode, path, pass, in("cpu_" + mode + "_ticks", path, pass) / hz / gb, 3);
              }
            }
            case "cpu_cps_ticks", "cpu_cps_v2_ticks", "cpu_cps_none_ticks" -> put(
                metric.substring(0, metric.length() - "_ticks".length()), path, pass,
                in(metric, path, pass) / hz * 1e6 / abRequests, 1);
            case "stime_cps_ticks" -> {
              if (has("cpu_cps_ticks", path, pass) && in("cpu_cps_ticks", path, pass) > 0) {
                put("ksh_cps", path, pass, 100 * in(metric, path, pass) / in("cpu_cps_ticks", path, pass), 1);
              }
            }
            case "vcs_cps_count" -> {
              if (has("ics_cps_count", path, pass)) {
                put("cs_cps", path, pass, (in(metric, path, pass) + in("ics_cps_count", path, pass)) / abRequests, 3);
              }
            }
            case "rw_cps_calls" -> put("rw_cps", path, pass, in(metric, path, pass) / abRequests, 2);
            case "tls_hs_count" -> {
              double count = in(metric, path, pass);
              if (has("tls_hs_ns", path, pass)) {
                put("tls_hs", path, pass, count / (in("tls_hs_ns", path, pass) / 1e9), 1);
              }
              if (has("cpu_hs_ticks", path, pass) && count > 0) {
                put("cpu_hs", path, pass, in("cpu_hs_ticks", path, pass) / hz * 1e6 / count, 1);
              }
            }
            case "mem_heap_before_kb" -> {
              // Gatehouse's heap is touched before the measurement (-XX:+AlwaysPreTouch), so Java objects do
              // not show in PSS; their share is the growth of the live heap, added to the PSS growth.
              if (!has("mem_heap_after_kb", path, pass) || !has("mem_pss_base_kb", path, pass)
                  || !has("mem_anon_base_kb", path, pass) || !passes("mem_pss_after_kb", path).containsKey(pass)
                  || !passes("mem_anon_after_kb", path).containsKey(pass)) {
                continue;
              }
              long heapBefore = (long) in(metric, path, pass);
              long heapAfter = (long) in("mem_heap_after_kb", path, pass);
              long growth = heapAfter - heapBefore;
              put("mem_heap_kb", path, pass, (heapAfter - (double) heapBefore) / connections, 2);
              long after = (long) passes("mem_pss_after_kb", path).get(pass).number();
              long afterAnon = (long) passes("mem_anon_after_kb", path).get(pass).number();
              put("mem_pss_kb", path, pass, ((after + growth) - in("mem_pss_base_kb", path, pass)) / connections, 2);
              put("mem_kb", path, pass, ((afterAnon + growth) - in("mem_anon_base_kb", path, pass)) / connections, 2);
            }
            case "alloc_iperf_allocated" -> {
              if (has("alloc_iperf_bytes", path, pass)) {
                put("alloc_per_mb", path, pass, in(metric, path, pass) / (in("alloc_iperf_bytes", path, pass) / 1e6), 1);
              }
            }
            case "alloc_ab_allocated" -> put("alloc_per_conn", path, pass, in(metric, path, pass) / abRequests, 0);
            default -> { }
          }
        }
      }
    }
    deriveStarts();
    Map<String, Map<String, Value>> before = vals.get("mem_pss_before_kb");
    if (before != null) {
      for (var e : before.entrySet()) {
        for (var p : e.getValue().entrySet()) {
          String mb = new BigDecimal(p.getValue().text()).divide(BigDecimal.valueOf(1024)).toPlainString();
          put("mem_rest_mb", e.getKey(), p.getKey(), mb);
        }
      }
    }
  }

  /** The start-up rows: the median of each pass's starts, and every start for the table's median. */
  void deriveStarts() {
    for (var row : START_RUNS.entrySet()) {
      double scale = row.getKey().endsWith("_kb_run") ? 1024 : 1;
      for (var byPath : raw.getOrDefault(row.getKey(), Map.of()).entrySet()) {
        Map<String, List<Double>> byPass = new TreeMap<>();
        for (var start : byPath.getValue().entrySet()) {
          String pass = start.getKey().contains(".") ? start.getKey().substring(0, start.getKey().indexOf('.')) : start.getKey();
          double value = start.getValue().number() / scale;
          byPass.computeIfAbsent(pass, k -> new ArrayList<>()).add(value);
          starts.computeIfAbsent(row.getValue(), k -> new LinkedHashMap<>())
              .computeIfAbsent(byPath.getKey(), k -> new ArrayList<>()).add(value);
        }
        byPass.forEach((pass, values) -> put(row.getValue(), byPath.getKey(), pass, median(values), 1));
      }
    }
  }

  static double median(List<Double> values) {
    List<Double> sorted = values.stream().sorted().toList();
    int n = sorted.size();
    return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
  }

  // ------------------------------------------------------------------------------------------ the table

  List<String> shownPaths() {
    List<String> shown = new ArrayList<>();
    for (String p : PATHS) {
      if (recordedPaths.contains(p) || p.equals("direct") || p.equals("gatehouse")) {
        shown.add(p);
      }
    }
    return shown;
  }

  Map<String, Value> passes(String metric, String path) {
    return vals.getOrDefault(metric, Map.of()).getOrDefault(path, Map.of());
  }

  /** The mean over the passes (start-up rows: the median of every start), or null when there is none. */
  Double mean(String metric, String path) {
    List<Double> all = starts.getOrDefault(metric, Map.of()).get(path);
    if (all != null && !all.isEmpty()) {
      return median(all);
    }
    Map<String, Value> d = passes(metric, path);
    if (d.isEmpty()) {
      return null;
    }
    double sum = 0;
    for (Value v : d.values()) {
      sum += v.number();
    }
    return sum / d.size();
  }

  static boolean truthy(Double x) {
    return x != null && x != 0;
  }

  String table() {
    List<String> shown = shownPaths();
    boolean lever = shown.contains("lever");
    StringBuilder t = new StringBuilder("| Metric | Better | ");
    t.append(String.join(" | ", shown.stream().map(NAMES::get).toList()));
    t.append(" | Gatehouse ÷ direct | Gatehouse ÷ better peer |").append(lever ? " lever ÷ Gatehouse |" : "");
    t.append("\n|---|---|").append("---:|".repeat(shown.size() + 2 + (lever ? 1 : 0)));
    for (Metric m : METRICS) {
      if (PATHS.stream().allMatch(p -> passes(m.key(), p).isEmpty())) {
        continue;
      }
      Map<String, Double> means = new HashMap<>();
      List<String> cells = new ArrayList<>();
      for (String p : shown) {
        if (notApplicable(p, m.key())) {
          cells.add("n/a");
          continue;
        }
        Double mean = mean(m.key(), p);
        means.put(p, mean);
        List<Double> all = starts.getOrDefault(m.key(), Map.of()).get(p);
        int passes = passes(m.key(), p).size();
        String of = all != null ? " (" + all.size() + (all.size() == 1 ? " start)" : " starts)")
            : passes == 1 ? " (1 pass)" : passes > 2 ? " (" + passes + " passes)" : "";
        cells.add(mean == null ? "—" : format(mean, m.decimals()) + of);
      }
      Double g = means.get("gatehouse");
      Double d = means.get("direct");
      Double best = null;
      for (String peer : List.of("haproxy", "nginx")) {
        Double v = means.get(peer);
        if (v != null && (best == null || (m.better().equals("higher") ? v > best : v < best))) {
          best = v;
        }
      }
      String rDirect = m.directIsBaseline() && g != null && truthy(d) ? format(g / d, 2) : "n/a";
      String rPeer = g != null && truthy(best) ? format(g / best, 2) : "—";
      String rLever = "";
      if (lever) {
        Double lv = means.get("lever");
        rLever = lv != null && truthy(g) ? " " + format(lv / g, 2) + " |" : " — |";
      }
      t.append("\n| ").append(m.label()).append(" | ").append(m.better()).append(" | ")
          .append(String.join(" | ", cells)).append(" | ").append(rDirect).append(" | ").append(rPeer).append(" |")
          .append(rLever);
    }
    return t.toString();
  }

  String notes() {
    String duration = opt("duration");
    String connections = opt("connections");
    return """
        Each cell is the mean of two passes: direct, HAProxy, nginx, Gatehouse, then Gatehouse, nginx, HAProxy, direct
        (when ONLY repeats a measurement, of every pass of every repetition: the cell says how many; the raw numbers
        show each, "1/2" being pass 1 of the second repetition).
        Ratios are always Gatehouse's value divided by the reference value. "Better" says which direction wins: for a
        "higher" row a ratio above 1 means Gatehouse did better, for a "lower" row (round trip, CPU, memory) a ratio
        below 1 means Gatehouse did better. "better peer" is the better of HAProxy and nginx on that row.

        ¹ ab -n %1$s -c %2$s, one new connection per request. The proxies send a PROXY v1 header to an nginx
          origin with `listen ... proxy_protocol`; **direct** goes to a second server block of that nginx **without**
          proxy_protocol (ab cannot send the header), so direct does slightly less work at the origin.
        ² ECDSA P-256 certificate, TLS 1.3, TLS_AES_128_GCM_SHA256. Handshakes: %3$s parallel
          `openssl s_time -new` for %4$s s, counted over the wall-clock time. Bulk: bench/TlsBench.java (JDK client)
          sends about %4$s s of data. The proxies terminate TLS and forward plaintext to a TCP sink. **direct** is
          the JDK's own TLS server (TlsBench tls-sink), not a like-for-like baseline: no Gatehouse ÷ direct ratio there.
        ³ (PSS holding %5$s idle connections − PSS before the first pass) / %5$s; PSS from
          /proc/<pid>/smaps_rollup summed over the proxy's processes (nginx: master and workers). Each client connection
          has its backend connection. Both passes subtract the footprint before pass 1, because allocators keep what
          pass 1 freed and pass 2 would mostly reuse it (per-pass before/after values are in the raw numbers).
          "anonymous" is Pss_Anon, the heap/malloc/buffer part of PSS: it leaves out file-backed pages (shared libraries,
          the JDK's CDS archive), whose PSS share moves whenever another process maps the same files, e.g. the client's
          JVM; "total" is plain Pss, affected by that. Kernel memory (socket buffers) is in neither. Gatehouse runs with
          -XX:+AlwaysPreTouch, so its heap pages are resident from the start and Java objects do not move PSS: for
          Gatehouse both rows add the growth of the live heap (jcmd GC.class_histogram, after a full GC), shown on its own row.
        ⁴ JFR (settings=profile) around one iperf3 -P 1 run and one ab run through Gatehouse: the growth of the
          event-loop threads' allocated-bytes counters (jdk.ThreadAllocationStatistics), divided by the MB (1e6 bytes)
          iperf3 moved or by the connections ab made. The top sites, from jdk.ObjectAllocationSample, are in the log.
        ⁵ The cost of the header: ab as in ¹, through two more routes of each proxy: one sends a PROXY v2 header
          (HAProxy `send-proxy-v2`, Gatehouse `"gatehouseProxyProtocol": {"version": "V2"}`) to the same
          proxy_protocol origin, one sends none, to the origin's block without proxy_protocol (**direct**'s). nginx's
          stream module sends v1 only: no v2 figure. Compare down a column with the PROXY v1 row of ¹ (ONLY="ab ab_pp").
        ⁶ Kernel counters of the proxy's processes over the ab run of ¹: stime's share of utime+stime; voluntary plus
          involuntary context switches of all their threads (/proc/<pid>/task/*/status); syscr+syscw of /proc/<pid>/io,
          which count read(2), readv(2), write(2) and writev(2) only, not recv/send/recvmsg/sendmsg: comparable
          between two Gatehouse jars, not across proxies (HAProxy uses recv and send, which are not counted).
        CPU rows: utime+stime of the proxy's processes (/proc/<pid>/stat, clock ticks of 1/CLK_TCK s) over the run,
          divided by the GB received by iperf3 (1 GB = 1e9 bytes), by the ab requests, or by the handshakes.
          Memory and CPU rows do not apply to direct (there is no proxy).
        ⁷ A second instance of each proxy, started as it ships (Gatehouse: bin/gatehouse with the server's JVM flags,
          its default H2 file database holding the bench gateway; PostgreSQL rows: the same on a local PostgreSQL),
          %6$s times per pass: the median of all starts, in ms from just before the process started until its
          listener accepted a TCP connection and until /actuator/health/readiness answered 200, and its VmRSS
          (/proc/<pid>/status; nginx: master and workers summed) after %7$s connections (ab) and %4$s s of iperf3 -P 1
          through it. Cold rows: those %7$s connections, the first after the start (ab -c %2$s, on the route of ¹:
          PROXY v1 to the nginx origin), as new connections/s and as the proxy's CPU (utime+stime) per connection,
          on H2 for Gatehouse, and the share of that CPU Gatehouse's C1 and C2 compiler threads used (the JIT
          compiling what the connections run; /proc/<pid>/task/*/stat). Each pass's median is in the raw numbers.
        ⁸ sockperf ping-pong, 64-byte messages, %4$s s per layout, to `sockperf sr` (taskset -a pins every thread):
          as the scheduler places the processes; all on CPU 0 (sockperf's client and server and the proxy: the
          proxy's work per message, no hop waits for another CPU to wake); the proxy alone on CPU 1, sockperf's
          client and server on CPU 0 (each hop into and out of the proxy crosses CPUs, as for a proxy with CPUs of
          its own). On a virtual machine a wake-up across CPUs costs more than the proxy's work: direct's p50 is
          several times its one-CPU figure when the scheduler places it. Pass 2 runs the layouts in reverse order."""
        .formatted(opt("ab-requests"), opt("ab-concurrency"), opt("tls-clients"), duration, connections,
            options.getOrDefault("startup-runs", "?"), options.getOrDefault("startup-connections", "?"));
  }

  String rawTable() {
    // Passes 1 and 2, then those of a repeated measurement ("1/2": pass 1 of its second repetition), in run order.
    Set<String> columns = new LinkedHashSet<>(List.of("1", "2"));
    vals.values().forEach(byPath -> byPath.values().forEach(d -> columns.addAll(d.keySet())));
    StringBuilder header = new StringBuilder("| Metric | Path |");
    StringBuilder rule = new StringBuilder("|---|---|");
    for (String c : columns) {
      header.append(c.contains("/") ? " " + c + " |" : " Pass " + c + " |");
      rule.append("---:|");
    }
    List<String> lines = new ArrayList<>(List.of(header.toString(), rule.toString()));
    for (var metric : new TreeMap<>(vals).entrySet()) {
      List<String> paths = new ArrayList<>(metric.getValue().keySet());
      paths.sort((a, b) -> Integer.compare(order(a), order(b)));
      for (String path : paths) {
        Map<String, Value> d = metric.getValue().get(path);
        StringBuilder line = new StringBuilder("| " + metric.getKey() + " | " + path + " |");
        for (String c : columns) {
          line.append(' ').append(d.containsKey(c) ? d.get(c).repr() : "—").append(" |");
        }
        lines.add(line.toString());
      }
    }
    return String.join("\n", lines);
  }

  static boolean notApplicable(String path, String metric) {
    return NOT_APPLICABLE.getOrDefault(path, Set.of()).contains(metric);
  }

  static int order(String path) {
    int i = PATHS.indexOf(path);
    return i < 0 ? 9 : i;
  }

  /** The cells of the expected measurements and paths that have no figure in some pass (the smoke run). */
  int checkComplete() {
    if (!options.containsKey("expect-only")) {
      return 0;
    }
    List<String> paths = List.of(opt("expect-paths").trim().split("\\s+"));
    List<String> missing = new ArrayList<>();
    for (String measurement : opt("expect-only").trim().split("\\s+")) {
      for (String[] group : EXPECTED.getOrDefault(measurement, List.of())) {
        for (String path : paths) {
          boolean applies = switch (group[0]) {
            case "proxies" -> !path.equals("direct");
            case "gatehouses" -> path.equals("gatehouse") || path.equals("lever");
            default -> true;
          };
          for (int i = 1; applies && i < group.length; i++) {
            if (notApplicable(path, group[i])) {
              continue;
            }
            for (String pass : List.of("1", "2")) {
              if (!passes(group[i], path).containsKey(pass)) {
                missing.add(measurement + ": " + group[i] + " via " + path + " pass " + pass);
              }
            }
          }
        }
      }
    }
    if (missing.isEmpty()) {
      System.err.println("every cell has its figures (" + opt("expect-only") + "; " + opt("expect-paths") + ")");
      return 0;
    }
    System.err.println("cells without a figure:");
    missing.forEach(m -> System.err.println("  " + m));
    return 3;
  }

  // ------------------------------------------------------------------------------------------ numbers

  /** x with the given decimals, rounded half-even on its exact binary value (as Python's "%.2f" does). */
  static String decimal(double x, int decimals) {
    String digits = new BigDecimal(Math.abs(x)).setScale(decimals, RoundingMode.HALF_EVEN).toPlainString();
    return (Math.copySign(1.0, x) < 0 ? "-" : "") + digits;
  }

  /** As {@link #decimal} with thousands separators (Python's "{:,.2f}"). */
  static String format(double x, int decimals) {
    String s = decimal(x, decimals);
    String sign = s.startsWith("-") ? "-" : "";
    String body = sign.isEmpty() ? s : s.substring(1);
    int dot = body.indexOf('.');
    String whole = dot < 0 ? body : body.substring(0, dot);
    String fraction = dot < 0 ? "" : body.substring(dot);
    StringBuilder grouped = new StringBuilder();
    for (int i = 0; i < whole.length(); i++) {
      if (i > 0 && (whole.length() - i) % 3 == 0) {
        grouped.append(',');
      }
      grouped.append(whole.charAt(i));
    }
    return sign + grouped + fraction;
  }
}
