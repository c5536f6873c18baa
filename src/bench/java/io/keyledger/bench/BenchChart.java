package io.keyledger.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.labels.StandardCategoryItemLabelGenerator;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.category.BarRenderer;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.title.TextTitle;
import org.jfree.chart.ui.RectangleAnchor;
import org.jfree.chart.ui.TextAnchor;
import org.jfree.data.category.DefaultCategoryDataset;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * The run's picture, drawn from {@code result.json} by {@link BenchReport}: one PNG of six panels. Rate against
 * connections for each figure beside its ceiling (create, get, verification), then the cost curves (create by keys
 * per account, get by key-set size, relay drain and rebuild beside their 20,000 events/s target).
 */
final class BenchChart {

    private static final int PANEL_W = 620;
    private static final int PANEL_H = 420;
    private static final int HEADER_H = 44;
    private static final Color MEASURED = new Color(0x1f77b4);
    private static final Color CEILING = new Color(0x7f7f7f);
    private static final Color OTHER = new Color(0xff7f0e);
    private static final Color THIRD = new Color(0x2ca02c);

    private BenchChart() {
    }

    static void write(JsonNode result, List<Integer> conns, Path png) throws IOException {
        System.setProperty("java.awt.headless", "true");
        JsonNode http = result.path("http");
        JsonNode ceilings = result.path("ceilings");
        JsonNode costs = result.path("costs");
        int top = conns.get(conns.size() - 1);
        List<JFreeChart> panels = new ArrayList<>();

        panels.add(rateByConnections("Create (POST) vs same-statements pgbench", conns,
                new Line("keyledger create", http, "create_", "rps", MEASURED, false),
                new Line("pgbench same-shape tx (ceiling)", ceilings, "pgbench_create_", "tps", CEILING, true)));
        panels.add(rateByConnections("Get (GET) vs pgbench SELECT and the no-op endpoint", conns,
                new Line("keyledger get", http, "get_", "rps", MEASURED, false),
                new Line("pgbench SELECT by PK (ceiling)", ceilings, "pgbench_select_", "tps", CEILING, true),
                new Line("no-op endpoint (HTTP ceiling)", http, "noop_", "rps", OTHER, true)));
        panels.add(rateByConnections("Verification hot path vs the no-op endpoint", conns,
                new Line("API-key authenticated GET", http, "keyget_", "rps", MEASURED, false),
                new Line("POST /api-keys/verify", http, "verify_", "rps", THIRD, false),
                new Line("no-op endpoint (HTTP ceiling)", http, "noop_", "rps", OTHER, true)));

        DefaultCategoryDataset create = new DefaultCategoryDataset();
        List<String> levels = new ArrayList<>();
        costs.fieldNames().forEachRemaining(name -> {
            if (name.startsWith("create_at_") && !name.contains("_vs_")) {
                levels.add(name.substring("create_at_".length()));
            }
        });
        for (String level : levels) {
            create.addValue(num(costs.path("create_at_" + level), "rps"), "creates/s", level + " keys/account");
        }
        double createBase = levels.isEmpty() ? Double.NaN : num(costs.path("create_at_" + levels.get(0)), "rps");
        panels.add(bars("Create at " + top + " conns by active keys per account", "creates/s", create,
                Double.isNaN(createBase) ? Double.NaN : 0.8 * createBase, "80% of the first level (target)"));

        DefaultCategoryDataset get = new DefaultCategoryDataset();
        get.addValue(num(http.path("get_" + top), "rps"), "gets/s", "10,000 keys");
        get.addValue(num(costs.path("get_big"), "rps"), "gets/s",
                String.format(Locale.ROOT, "%,.0f keys", num(costs.path("settings"), "total_keys")));
        get.addValue(num(ceilings.path("pgbench_select_" + top), "tps"), "gets/s", "pgbench SELECT (ceiling)");
        double getBase = num(http.path("get_" + top), "rps");
        panels.add(bars("Get at " + top + " conns by key-set size", "gets/s", get,
                Double.isNaN(getBase) ? Double.NaN : 0.8 * getBase, "80% of get over 10,000"));

        DefaultCategoryDataset events = new DefaultCategoryDataset();
        events.addValue(num(costs.path("relay_drain"), "events_per_second"), "events/s", "drain, from 1st publication");
        events.addValue(num(costs.path("relay_drain"), "events_per_second_from_broker_start"), "events/s",
                "drain, from broker start");
        double rebuild = num(costs.path("rebuild"), "events_per_second");
        events.addValue(Double.isNaN(rebuild) ? 0 : rebuild, "events/s",
                Double.isNaN(rebuild) ? "rebuild (n/a: not merged)" : "rebuild");
        panels.add(bars("Relay drain after a broker outage, and rebuild", "events/s", events, 20_000,
                "target 20,000 events/s"));

        int columns = 3;
        int rows = (panels.size() + columns - 1) / columns;
        BufferedImage image = new BufferedImage(columns * PANEL_W, HEADER_H + rows * PANEL_H,
                BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, image.getWidth(), image.getHeight());
        g.setColor(Color.DARK_GRAY);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 16));
        JsonNode env = result.path("environment");
        g.drawString(String.format(
                "keyledger benchmark  %s  commit %s  (%s CPUs, load generator, PostgreSQL, Kafka and"
                        + " the service on the same machine; dashed = ceiling)",
                env.path("started_at").asText("?"), env.path("git_commit").asText("?"), env.path("cpus").asText("?")),
                12, 28);
        for (int i = 0; i < panels.size(); i++) {
            panels.get(i).draw(g, new Rectangle2D.Double((i % columns) * PANEL_W, HEADER_H + (i / columns) * PANEL_H,
                    PANEL_W, PANEL_H));
        }
        g.dispose();
        ImageIO.write(image, "png", png.toFile());
    }

    private record Line(String label, JsonNode source, String prefix, String field, Color color, boolean dashed) {
    }

    private static JFreeChart rateByConnections(String title, List<Integer> conns, Line... lines) {
        XYSeriesCollection data = new XYSeriesCollection();
        for (Line line : lines) {
            XYSeries series = new XYSeries(line.label());
            for (int c : conns) {
                double value = num(line.source().path(line.prefix() + c), line.field());
                if (!Double.isNaN(value)) {
                    series.add(c, value);
                }
            }
            data.addSeries(series);
        }
        JFreeChart chart = ChartFactory.createXYLineChart(null, "connections", "requests/s", data,
                PlotOrientation.VERTICAL, true, false, false);
        title(chart, title);
        XYPlot plot = chart.getXYPlot();
        LogAxis x = new LogAxis("connections (log scale)");
        x.setBase(2);
        x.setNumberFormatOverride(java.text.NumberFormat.getIntegerInstance(Locale.ROOT));
        x.setRange(conns.get(0) / 1.4, conns.get(conns.size() - 1) * 1.4);
        plot.setDomainAxis(x);
        ((NumberAxis) plot.getRangeAxis()).setAutoRangeIncludesZero(true);
        XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, true);
        for (int i = 0; i < lines.length; i++) {
            renderer.setSeriesPaint(i, lines[i].color());
            renderer.setSeriesStroke(i,
                    lines[i].dashed()
                            ? new BasicStroke(2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f,
                                    new float[]{6f, 4f}, 0f)
                            : new BasicStroke(2.5f));
        }
        renderer.setDefaultItemLabelGenerator(new org.jfree.chart.labels.StandardXYItemLabelGenerator("{2}",
                java.text.NumberFormat.getIntegerInstance(Locale.ROOT),
                java.text.NumberFormat.getIntegerInstance(Locale.ROOT)));
        renderer.setDefaultItemLabelsVisible(true);
        plot.setRenderer(renderer);
        plot.setBackgroundPaint(Color.WHITE);
        plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
        plot.setDomainGridlinePaint(Color.LIGHT_GRAY);
        return chart;
    }

    private static JFreeChart bars(String title, String axis, DefaultCategoryDataset data, double target,
            String targetLabel) {
        JFreeChart chart = ChartFactory.createBarChart(null, null, axis, data, PlotOrientation.VERTICAL, false, false,
                false);
        title(chart, title);
        CategoryPlot plot = chart.getCategoryPlot();
        plot.getDomainAxis().setMaximumCategoryLabelLines(2);
        plot.setBackgroundPaint(Color.WHITE);
        plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
        BarRenderer renderer = (BarRenderer) plot.getRenderer();
        renderer.setSeriesPaint(0, MEASURED);
        renderer.setShadowVisible(false);
        renderer.setBarPainter(new org.jfree.chart.renderer.category.StandardBarPainter());
        renderer.setDefaultItemLabelGenerator(
                new StandardCategoryItemLabelGenerator("{2}", java.text.NumberFormat.getIntegerInstance(Locale.ROOT)));
        renderer.setDefaultItemLabelsVisible(true);
        if (!Double.isNaN(target)) {
            ValueMarker marker = new ValueMarker(target, Color.RED,
                    new BasicStroke(2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[]{6f, 4f}, 0f));
            marker.setLabel(targetLabel);
            marker.setLabelFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
            marker.setLabelAnchor(RectangleAnchor.TOP_RIGHT);
            marker.setLabelTextAnchor(TextAnchor.BOTTOM_RIGHT);
            plot.addRangeMarker(marker);
            NumberAxis range = (NumberAxis) plot.getRangeAxis();
            range.setAutoRange(true);
            range.setAutoRangeIncludesZero(true);
            double max = target;
            for (int i = 0; i < data.getColumnCount(); i++) {
                Number value = data.getValue(0, i);
                if (value != null && !Double.isNaN(value.doubleValue())) {
                    max = Math.max(max, value.doubleValue());
                }
            }
            range.setRange(0, max * 1.15);
        }
        return chart;
    }

    private static void title(JFreeChart chart, String text) {
        chart.setTitle(new TextTitle(text, new Font(Font.SANS_SERIF, Font.BOLD, 14)));
        chart.setBackgroundPaint(Color.WHITE);
    }

    private static double num(JsonNode node, String field) {
        JsonNode value = node.path(field);
        return value.isNumber() ? value.asDouble() : Double.NaN;
    }
}
