package io.mp4j.bench;

import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.VectorGraphicsEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.internal.chartpart.Chart;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** The charts, through XChart: the ratio of each figure against its target, and the scaling curve. */
final class Charts {
    private Charts() {}

    /**
     * Ratio per figure (Java median / Python median, log scale) beside its target, for every row with a
     * ratio target; null when no row has both. Returns the files written (PNG and SVG).
     */
    static List<Path> ratios(ResultTable table, Path dir) throws IOException {
        List<String> names = new ArrayList<>();
        List<Double> ratios = new ArrayList<>(), targets = new ArrayList<>();
        for (Row r : table.rows()) {
            if (r.ratio() == null || r.target() == null || !r.target().isRatio()) continue;
            names.add(r.name());
            ratios.add(r.ratio());
            targets.add(r.target().value());
        }
        if (names.isEmpty()) return List.of();
        int longest = names.stream().mapToInt(String::length).max().orElse(10);
        CategoryChart chart = new CategoryChartBuilder().width(Math.max(900, 45 * names.size())).height(520 + 7 * longest)
                .title("multiprocessing4j / CPython: ratio of medians per figure, against its target")
                .xAxisTitle("figure.method").yAxisTitle("Java / Python (log)").build();
        chart.getStyler().setDefaultSeriesRenderStyle(org.knowm.xchart.CategorySeries.CategorySeriesRenderStyle.Scatter);
        chart.getStyler().setYAxisLogarithmic(true);
        chart.getStyler().setXAxisLabelRotation(60);
        chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNE);
        chart.getStyler().setMarkerSize(12);
        chart.getStyler().setOverlapped(true);                     // ratio and target on the same x
        chart.getStyler().setYAxisDecimalPattern("0.###");
        double lo = Math.min(ratios.stream().mapToDouble(d -> d).min().orElse(1), targets.stream().mapToDouble(d -> d).min().orElse(1));
        double hi = Math.max(ratios.stream().mapToDouble(d -> d).max().orElse(1), targets.stream().mapToDouble(d -> d).max().orElse(1));
        chart.getStyler().setYAxisMin(Math.pow(10, Math.floor(Math.log10(lo))));
        chart.getStyler().setYAxisMax(Math.pow(10, Math.ceil(Math.log10(hi))));
        chart.addSeries("Java / Python", names, ratios).setMarker(SeriesMarkers.CIRCLE);
        chart.addSeries("target (≤ for times, ≥ for rates)", names, targets).setMarker(SeriesMarkers.DIAMOND);
        return save(chart, dir.resolve("ratios"));
    }

    /**
     * Speedup against workers, Java beside CPython, per start method, from the rows
     * {@code scaling_speedup.poolN.METHOD}; empty when there are none.
     */
    static List<Path> scaling(ResultTable table, long below, Path dir) throws IOException {
        Map<String, TreeMap<Integer, Double>> series = new TreeMap<>();
        int maxN = 1;
        for (Row r : table.rows()) {
            if (!r.key().startsWith("scaling_speedup.pool")) continue;
            int n = Integer.parseInt(r.key().substring("scaling_speedup.pool".length()));
            maxN = Math.max(maxN, n);
            if (r.java() != null) series.computeIfAbsent("Java " + r.method(), k -> new TreeMap<>()).put(n, r.java().median());
            if (r.python() != null) series.computeIfAbsent("CPython " + r.pythonMethod(), k -> new TreeMap<>()).put(n, r.python().median());
        }
        if (series.isEmpty()) return List.of();
        XYChart chart = new XYChartBuilder().width(900).height(600)
                .title(String.format(java.util.Locale.ROOT, "CPU-bound scaling: primes below %,d in 128 chunks (%d cores)",
                        below, Runtime.getRuntime().availableProcessors()))
                .xAxisTitle("workers (Pool(n))").yAxisTitle("speedup vs sequential").build();
        chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNW);
        chart.getStyler().setMarkerSize(8);
        List<Double> ideal = new ArrayList<>();
        List<Double> xs = new ArrayList<>();
        for (int n = 1; n <= maxN; n *= 2) {
            xs.add((double) n);
            ideal.add((double) n);
        }
        chart.addSeries("ideal", xs, ideal).setMarker(SeriesMarkers.NONE);
        for (var e : series.entrySet()) {
            List<Double> x = new ArrayList<>(), y = new ArrayList<>();
            e.getValue().forEach((n, s) -> { x.add((double) n); y.add(s); });
            chart.addSeries(e.getKey(), x, y);
        }
        return save(chart, dir.resolve("scaling"));
    }

    private static List<Path> save(Chart<?, ?> chart, Path base) throws IOException {
        BitmapEncoder.saveBitmap(chart, base.toString(), BitmapEncoder.BitmapFormat.PNG);
        VectorGraphicsEncoder.saveVectorGraphic(chart, base.toString(), VectorGraphicsEncoder.VectorGraphicsFormat.SVG);
        return List.of(Path.of(base + ".png"), Path.of(base + ".svg"));
    }
}
