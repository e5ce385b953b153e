import { useEffect, useRef } from 'preact/hooks';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';

// A time-series chart (uPlot): x in unix seconds, one line per series, sized to its container. Optional markers
// (annotations) are drawn as labelled vertical lines.

export interface ChartSeries {
  label: string;
  color: string;
  values: (number | null)[];
  /** Bars instead of a line (counts per bucket). */
  bars?: boolean;
}

export interface ChartMarker {
  x: number;
  label: string;
}

interface Props {
  x: number[];
  series: ChartSeries[];
  height?: number;
  yRange?: [number, number];
  markers?: ChartMarker[];
  label: string;
  /** 'time' (default) or 'day' ticks. */
  xUnit?: 'time' | 'day';
}

function markerPlugin(markers: ChartMarker[]): uPlot.Plugin {
  return {
    hooks: {
      draw: (u) => {
        const ctx = u.ctx;
        ctx.save();
        ctx.strokeStyle = '#7c5cff';
        ctx.fillStyle = '#5b3fd6';
        ctx.setLineDash([4, 4]);
        ctx.lineWidth = 1 * uPlot.pxRatio;
        ctx.font = `${11 * uPlot.pxRatio}px system-ui, sans-serif`;
        for (const m of markers) {
          const left = u.valToPos(m.x, 'x', true);
          if (left < u.bbox.left || left > u.bbox.left + u.bbox.width) continue;
          ctx.beginPath();
          ctx.moveTo(left, u.bbox.top);
          ctx.lineTo(left, u.bbox.top + u.bbox.height);
          ctx.stroke();
          ctx.fillText(m.label.length > 28 ? `${m.label.slice(0, 27)}…` : m.label, left + 4 * uPlot.pxRatio, u.bbox.top + 12 * uPlot.pxRatio);
        }
        ctx.restore();
      },
    },
  };
}

export function Chart({ x, series, height = 200, yRange, markers = [], label, xUnit = 'time' }: Props) {
  const host = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);

  useEffect(() => {
    const el = host.current;
    if (!el) return;
    const bars = uPlot.paths.bars ? uPlot.paths.bars({ size: [0.7, 40] }) : undefined;
    const opts: uPlot.Options = {
      width: Math.max(200, el.clientWidth),
      height,
      legend: { show: true, live: false },
      cursor: { drag: { x: false, y: false } },
      scales: { x: { time: true }, y: yRange ? { range: yRange } : { range: (_u, _min, max) => [0, Math.max(1, max)] } },
      axes: [
        { stroke: '#5d6475', grid: { stroke: '#eceef3' }, ...(xUnit === 'day' ? { values: '{MM}-{DD}', splits: () => x } : {}) },
        { stroke: '#5d6475', grid: { stroke: '#eceef3' }, size: 44 },
      ],
      series: [
        {},
        ...series.map((s) => ({
          label: s.label,
          stroke: s.color,
          ...(s.bars && bars ? { paths: bars, fill: `${s.color}cc`, width: 0, points: { show: false } } : { width: 2, points: { show: x.length < 40 } }),
          spanGaps: false,
        })),
      ],
      plugins: markers.length ? [markerPlugin(markers)] : [],
    };
    const data = [x, ...series.map((s) => s.values)] as uPlot.AlignedData;
    plot.current?.destroy();
    plot.current = new uPlot(opts, data, el);
    const observer = new ResizeObserver(() => {
      const w = Math.max(200, el.clientWidth);
      if (plot.current && Math.abs(plot.current.width - w) > 2) plot.current.setSize({ width: w, height });
    });
    observer.observe(el);
    return () => {
      observer.disconnect();
      plot.current?.destroy();
      plot.current = null;
    };
    // Rebuilt when the data changes: a handful of series of ≤ 60 points, cheaper than diffing.
  }, [JSON.stringify([x, series, markers, yRange]), height]);

  return <div class="chart" ref={host} role="img" aria-label={label} />;
}
