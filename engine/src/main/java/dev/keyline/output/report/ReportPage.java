package dev.keyline.output.report;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import dev.keyline.ledger.RejectGroup;
import dev.keyline.ledger.Rejection;
import dev.keyline.text.InertText;

/**
 * Renders a {@link RunReport} as one self-contained HTML page: the chart library's script and stylesheet are inlined,
 * nothing is loaded from anywhere, so the page opens on a line PC without a network and travels as an e-mail
 * attachment. Every value that came from outside (device ids, reasons, AWS's messages, the command line, paths) is
 * made inert ({@link InertText}) and then HTML-escaped; the chart's data goes in as JSON inside a
 * {@code <script type="application/json">} block with {@code <}, {@code >} and {@code &} escaped, so no value can end
 * the block. Elements that carry a figure have a {@code data-k} attribute naming it, for tests and scripts.
 */
public final class ReportPage {

    public static final String FILE = "report.html";

    private static final String UPLOT = "META-INF/resources/webjars/uplot/1.6.30/dist/";
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'")
            .withZone(ZoneOffset.UTC);
    /** Colour-blind-safe (Okabe-Ito), "all" first in black. */
    private static final String[] PALETTE = {"#000000", "#E69F00", "#56B4E9", "#009E73", "#D55E00", "#0072B2",
            "#CC79A7", "#F0E442", "#999999"};

    private ReportPage() {
    }

    /** Writes the page into the output folder, replacing the previous one at once (a temporary file, then a rename). */
    public static Path write(RunReport report, Path outputFolder) {
        Path target = outputFolder.resolve(FILE);
        Path temp = null;
        try {
            // A name of its own: keyline report may write while a run's end writes it too.
            temp = Files.createTempFile(outputFolder, ".report-", ".html.tmp");
            Files.writeString(temp, render(report), StandardCharsets.UTF_8);
            Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            if (temp != null) {
                try {
                    Files.deleteIfExists(temp);
                } catch (IOException ignored) {
                    // the write failed already; that is what is reported
                }
            }
            throw new UncheckedIOException("cannot write " + target + ": " + e.getMessage(), e);
        }
        return target;
    }

    public static String render(RunReport r) {
        StringBuilder h = new StringBuilder(80_000);
        String title = (r.kind().equals("register") ? "Registration " + r.executionId()
                : "Run " + r.instanceId() + ", execution " + r.executionId());
        h.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n")
                .append("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; ")
                .append("script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:\">\n")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
                .append("<title>Keyline ").append(esc(title)).append(": ").append(esc(r.status())).append("</title>\n<style>")
                .append(resource(UPLOT + "uPlot.min.css")).append('\n').append(STYLE).append("</style></head>\n<body>\n");
        h.append("<h1>Keyline: ").append(esc(title)).append(" <span class=\"status ")
                .append(r.completed() ? "ok" : "bad").append("\" data-k=\"status\">").append(esc(r.status()))
                .append("</span></h1>\n");
        h.append("<p class=\"sub\">").append(esc(r.outputFolder())).append("</p>\n");
        r.failure().ifPresent(f -> failure(h, f));
        summary(h, r);
        chart(h, r);
        if (!r.kind().equals("register")) {
            rejects(h, r);
        }
        registration(h, r);
        h.append("<footer>Written by Keyline from the ledger and the job repository at ")
                .append(esc(TIME.format(Instant.now()))).append(". Rebuild it with <code>keyline report --out ")
                .append(esc(r.outputFolder())).append(" --execution ").append(r.executionId()).append("</code>.</footer>\n");
        h.append("<script>").append(resource(UPLOT + "uPlot.iife.min.js")).append("</script>\n");
        h.append("<script>").append(CHART_SCRIPT).append("</script>\n</body></html>\n");
        return h.toString();
    }

    private static void failure(StringBuilder h, RunReport.Failure f) {
        h.append("<section class=\"failure\"><h2>Why it did not complete</h2><p data-k=\"failure\">")
                .append(esc(f.message())).append("</p><p>Resume with: <code data-k=\"resume\">").append(esc(f.resume()))
                .append("</code> (committed chunks stay; nothing committed is issued again)</p></section>\n");
    }

    private static void summary(StringBuilder h, RunReport r) {
        RunReport.Counts c = r.counts();
        h.append("<section><h2>Summary</h2><table class=\"facts\">\n");
        boolean register = r.kind().equals("register");
        if (!register) {
            row(h, "Devices issued (run)", "issued", number(c.issued()));
            row(h, "Devices rejected (run)", "rejected", number(c.rejected()));
            row(h, "Rows failed (chunks rolled back)", "failed", number(c.failed()));
            row(h, "Issued by this execution", "issued-here", number(c.issuedHere()));
        }
        if (register || c.registeredHere() + c.registerFailedHere() > 0) {
            row(h, "Registered by this execution", "registered-here", number(c.registeredHere()));
            row(h, "Registrations failed", "register-failed-here", number(c.registerFailedHere()));
        }
        row(h, "Started", "started", r.started().map(TIME::format).orElse("-"));
        row(h, "Ended", "ended", r.ended().map(TIME::format).orElse("-"));
        Optional<Duration> took = r.duration();
        row(h, "Duration", "duration", took.map(ReportPage::duration).orElse("-"));
        long done = register ? c.registeredHere() + c.registerFailedHere() : c.issuedHere();
        row(h, register ? "Registrations per second" : "Devices per second", "rate",
                took.filter(d -> !d.isZero()).map(d -> String.format(Locale.US, "%,.1f", done / (d.toNanos() / 1e9)))
                        .orElse("-"));
        row(h, "Command", "command", r.command().orElse("(not recorded: the execution ran before Keyline kept it)"));
        for (RunReport.Fact f : r.facts()) {
            row(h, f.label(), null, f.value());
        }
        h.append("</table></section>\n");
    }

    private static void chart(StringBuilder h, RunReport r) {
        ChunkRates rates = ChunkRates.of(r.started().orElse(null), r.chunks(), r.stepStarts());
        // Written by hand rather than with Jackson: numbers and a few names, and a first Jackson serialisation of a
        // new type costs a cold JVM tens of milliseconds at the end of every run.
        StringBuilder json = new StringBuilder(4096).append("{\"bucketSeconds\":").append(rates.bucketSeconds())
                .append(",\"x\":");
        numbers(json, rates.seconds());
        json.append(",\"series\":[");
        int i = 0;
        for (Map.Entry<String, double[]> e : rates.series().entrySet()) {
            json.append(i == 0 ? "" : ",").append("{\"name\":");
            jsonString(json, InertText.of(e.getKey()));
            json.append(",\"color\":\"").append(PALETTE[i++ % PALETTE.length]).append("\",\"y\":");
            numbers(json, e.getValue());
            json.append('}');
        }
        json.append("]}");
        h.append("<section><h2>Devices committed per second</h2><p class=\"note\">Each chunk's devices spread over the time ")
                .append("since its step's previous commit, in ").append(number(rates.bucketSeconds()))
                .append(" s buckets from the execution's start: all steps, and each partition (issue) or the register step ")
                .append("(registrations) on its own. ")
                .append(number(r.chunks().size())).append(" chunks committed.</p>\n")
                .append("<div id=\"chart\" class=\"chart\" data-k=\"chart\"></div>\n")
                .append("<script type=\"application/json\" id=\"chart-data\">").append(json).append("</script></section>\n");
    }

    private static void numbers(StringBuilder json, double[] values) {
        json.append('[');
        for (int i = 0; i < values.length; i++) {
            if (i > 0) {
                json.append(',');
            }
            double v = values[i];
            if (v == Math.rint(v) && Math.abs(v) < 1e15) {
                json.append((long) v);
            } else {
                json.append(v);
            }
        }
        json.append(']');
    }

    /**
     * A JSON string that is also safe inside a script element: quotes, backslashes and controls escaped as JSON
     * requires, and {@code <}, {@code >}, {@code &}, U+2028 and U+2029 as {@code \\uXXXX}, so no value can close the element.
     */
    static void jsonString(StringBuilder json, String value) {
        json.append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '"' || c == '\\') {
                json.append('\\').append(c);
            } else if (c < 0x20 || c == '<' || c == '>' || c == '&' || c == 0x2028 || c == 0x2029) {
                json.append(String.format("\\u%04x", (int) c));
            } else {
                json.append(c);
            }
        }
        json.append('"');
    }

    private static void rejects(StringBuilder h, RunReport r) {
        h.append("<section><h2>Rejected rows by reason</h2>\n");
        if (r.rejects().isEmpty()) {
            h.append("<p data-k=\"no-rejects\">No row was rejected.</p></section>\n");
            return;
        }
        h.append("<table class=\"grid\"><tr><th>Reason code</th><th class=\"n\">Rows</th><th>First rows (line, device id: reason)"
                + "</th></tr>\n");
        for (RejectGroup g : r.rejects()) {
            h.append("<tr><td><code>").append(esc(g.code().equals(Rejection.UNRECORDED) ? "(before reason codes)" : g.code()))
                    .append("</code></td><td class=\"n\" data-k=\"reject-").append(esc(g.code())).append("\">")
                    .append(number(g.rows())).append("</td><td><ul>");
            for (Rejection x : g.first()) {
                h.append("<li>line ").append(x.sourceLine()).append(", <code>")
                        .append(esc(x.deviceId() == null ? "(no id)" : x.deviceId())).append("</code>: ")
                        .append(esc(x.reason())).append("</li>");
            }
            if (g.rows() > g.first().size()) {
                h.append("<li class=\"note\">and ").append(number(g.rows() - g.first().size()))
                        .append(" more in rejects.csv</li>");
            }
            h.append("</ul></td></tr>\n");
        }
        h.append("</table></section>\n");
    }

    private static void registration(StringBuilder h, RunReport r) {
        if (r.registration().isEmpty()) {
            return;
        }
        h.append("<section><h2>Registration with AWS IoT</h2>\n");
        for (RunReport.TargetReport t : r.registration()) {
            String k = "target-" + t.target();
            h.append("<h3>Target <code>").append(esc(t.target())).append("</code></h3>\n<p>Devices of the output ")
                    .append("<span data-k=\"").append(esc(k)).append("-registered\">").append(number(t.registered()))
                    .append("</span> registered, <span data-k=\"").append(esc(k)).append("-failed\">")
                    .append(number(t.failed())).append("</span> failed (the ledger's state now).</p>\n");
            if (!t.errors().isEmpty()) {
                h.append("<table class=\"grid\"><tr><th>AWS error code</th><th class=\"n\">Devices</th><th>Example</th></tr>\n");
                for (RunReport.ErrorCount e : t.errors()) {
                    h.append("<tr><td><code>").append(esc(e.code())).append("</code></td><td class=\"n\">")
                            .append(number(e.devices())).append("</td><td>").append(esc(e.exampleMessage()))
                            .append("</td></tr>\n");
                }
                h.append("</table>\n");
            }
            if (!t.calls().isEmpty()) {
                h.append("<table class=\"grid\"><tr><th>Operation (this execution)</th><th class=\"n\">Calls</th>")
                        .append("<th class=\"n\">Throttles</th><th class=\"n\">Faults</th><th class=\"n\">p50 ms</th>")
                        .append("<th class=\"n\">p95 ms</th><th class=\"n\">p99 ms</th></tr>\n");
                for (RunReport.OperationCalls c : t.calls()) {
                    String ck = esc(k + "-" + c.operation());
                    h.append("<tr><td>").append(esc(c.operation())).append("</td><td class=\"n\" data-k=\"").append(ck)
                            .append("-calls\">").append(number(c.calls())).append("</td><td class=\"n\">")
                            .append(number(c.throttles())).append("</td><td class=\"n\">").append(number(c.faults()))
                            .append("</td><td class=\"n\">").append(millis(c.p50())).append("</td><td class=\"n\">")
                            .append(millis(c.p95())).append("</td><td class=\"n\">").append(millis(c.p99()))
                            .append("</td></tr>\n");
                }
                h.append("</table>\n");
            }
        }
        h.append("<p class=\"note\">Latencies are bucketed (four buckets per doubling): each figure is the upper bound of "
                + "its bucket.</p></section>\n");
    }

    private static void row(StringBuilder h, String label, String key, String value) {
        h.append("<tr><th>").append(esc(label)).append("</th><td");
        if (key != null) {
            h.append(" data-k=\"").append(key).append('"');
        }
        h.append('>').append(esc(value)).append("</td></tr>\n");
    }

    private static String number(long n) {
        return String.format(Locale.US, "%,d", n);
    }

    private static String number(double n) {
        return n == Math.rint(n) ? number((long) n) : String.format(Locale.US, "%.1f", n);
    }

    private static String millis(double ms) {
        return Double.isNaN(ms) ? "-" : ms < 10 ? String.format(Locale.US, "%.1f", ms) : String.format(Locale.US, "%,.0f", ms);
    }

    private static String duration(Duration d) {
        long s = d.toSeconds();
        if (s < 60) {
            return String.format(Locale.US, "%.1f s", d.toMillis() / 1000.0);
        }
        return s < 3600 ? String.format("%dm %02ds", s / 60, s % 60) : String.format("%dh %02dm %02ds", s / 3600, s % 3600 / 60, s % 60);
    }

    /** Inert (controls escaped), then HTML-escaped: safe as text and inside a quoted attribute. */
    static String esc(String text) {
        if (text == null) {
            return "";
        }
        String inert = InertText.of(text);
        StringBuilder b = new StringBuilder(inert.length() + 16);
        for (int i = 0; i < inert.length(); i++) {
            char c = inert.charAt(i);
            switch (c) {
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '&' -> b.append("&amp;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&#39;");
                default -> b.append(c);
            }
        }
        return b.toString();
    }

    private static String resource(String name) {
        try (InputStream in = ReportPage.class.getClassLoader().getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("the chart library is missing from the class path: " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static final String STYLE = """
            body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"DejaVu Sans",sans-serif;margin:24px auto;
            max-width:1100px;padding:0 16px;color:#1d232a}
            h1{font-size:22px;margin:0 0 4px}h2{font-size:17px;margin:28px 0 8px;border-bottom:1px solid #d8dde3}
            h3{font-size:15px;margin:16px 0 6px}.sub,.note{color:#5a6470}.note{font-size:12px}
            .status{font-size:13px;padding:2px 8px;border-radius:10px;vertical-align:middle}
            .status.ok{background:#dcf3e3;color:#0b5a26}.status.bad{background:#fde2e1;color:#8a1410}
            .failure{background:#fff4f3;border:1px solid #f2b8b5;border-radius:6px;padding:4px 14px}
            table{border-collapse:collapse}td,th{padding:4px 10px;vertical-align:top;text-align:left}
            table.facts th{font-weight:600;color:#3b4550;white-space:nowrap}table.facts td{word-break:break-all}
            table.grid{width:100%}table.grid th{background:#f1f3f5}table.grid td,table.grid th{border:1px solid #d8dde3}
            .n{text-align:right;font-variant-numeric:tabular-nums}ul{margin:0;padding-left:18px}
            code{font:12px ui-monospace,SFMono-Regular,Menlo,Consolas,"DejaVu Sans Mono",monospace;word-break:break-all}
            .chart{min-height:340px}footer{margin-top:32px;font-size:12px;color:#5a6470}
            """;

    /** Draws the chart with uPlot from the JSON block; marks the element with how many points it drew. */
    private static final String CHART_SCRIPT = """
            (function () {
              var el = document.getElementById('chart');
              var d = JSON.parse(document.getElementById('chart-data').textContent);
              if (!d.x.length) { el.textContent = 'No chunk committed in this execution.'; el.setAttribute('data-points', '0'); return; }
              var series = [{label: 'seconds'}], data = [d.x], points = 0;
              d.series.forEach(function (s, i) {
                series.push({label: s.name, stroke: s.color, width: i === 0 ? 2.5 : 1.5,
                  points: {show: d.x.length < 40}, value: function (u, v) { return v == null ? '-' : v.toLocaleString('en-US') + '/s'; }});
                data.push(s.y);
                points += s.y.length;
              });
              new uPlot({width: Math.max(el.clientWidth, 480), height: 320, scales: {x: {time: false}},
                axes: [{label: 'seconds since the execution started'}, {label: 'devices per second', size: 70}],
                series: series}, data, el);
              el.setAttribute('data-points', String(points));
            })();
            """;
}
