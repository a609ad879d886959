/**
 * A uPlot bar chart over days: stacked series (each drawn as the sum of itself and the ones below,
 * largest first, while the legend shows its own value), sized to its box and redrawn when the box
 * or the theme changes. Colours come from the page's CSS variables so both themes read well.
 */
import { useEffect, useRef } from "preact/hooks"
import uPlot from "uplot"

export interface Series {
  readonly label: string
  readonly color: string
  readonly values: ReadonlyArray<number>
}

const css = (name: string) => getComputedStyle(document.documentElement).getPropertyValue(name).trim()

/** Cumulative sums, bottom series first. */
const stack = (series: ReadonlyArray<Series>): Array<Array<number>> => {
  const out: Array<Array<number>> = []
  series.forEach((s, k) => out.push(s.values.map((v, i) => v + (k === 0 ? 0 : (out[k - 1]?.[i] ?? 0)))))
  return out
}

export const Chart = (props: { title: string; days: ReadonlyArray<number>; series: ReadonlyArray<Series>; format: (v: number) => string; theme: string }) => {
  const box = useRef<HTMLDivElement>(null)
  useEffect(() => {
    const el = box.current
    if (el === null) return
    const sums = stack(props.series)
    const order = props.series.map((_, k) => props.series.length - 1 - k)
    const fg = css("--muted") || "#666"
    const grid = css("--line") || "#ddd"
    const axis = (values?: uPlot.Axis.Values): uPlot.Axis => ({
      stroke: fg,
      grid: { stroke: grid, width: 1 },
      ticks: { stroke: grid, width: 1 },
      ...(values === undefined ? {} : { values })
    })
    const bars = uPlot.paths.bars?.({ size: [0.8, 40] })
    const opts: uPlot.Options = {
      title: props.title,
      width: Math.max(280, el.clientWidth),
      height: 260,
      // Half a day around the first and last bars (three days around a lone one), so a bar is
      // never cut at the edge and one active day does not stretch the axis over years.
      scales: { x: { time: true, range: (_u, min, max) => (min === max ? [min - 3 * 86_400, max + 3 * 86_400] : [min - 43_200, max + 43_200]) } },
      axes: [axis(), { ...axis((_u, vs) => vs.map((v) => props.format(v))), size: 60 }],
      series: [
        { label: "Day", value: (_u: uPlot, v: number | null) => (v === null ? "" : new Date(v * 1000).toISOString().slice(0, 10)) },
        ...order.map((k) => {
          const s = props.series[k] as Series
          return {
            label: s.label,
            fill: s.color,
            stroke: s.color,
            width: 0,
            points: { show: false },
            ...(bars === undefined ? {} : { paths: bars }),
            value: (_u: uPlot, _v: number | null, _si: number, i: number | null) => (i === null ? "" : props.format(s.values[i] ?? 0))
          }
        })
      ],
      legend: { live: true }
    }
    const data: uPlot.AlignedData = [Float64Array.from(props.days), ...order.map((k) => Float64Array.from(sums[k] ?? []))]
    const chart = new uPlot(opts, data, el)
    const resize = new ResizeObserver(() => chart.setSize({ width: Math.max(280, el.clientWidth), height: 260 }))
    resize.observe(el)
    return () => {
      resize.disconnect()
      chart.destroy()
    }
  }, [props.days, props.series, props.theme])
  return <div class="chart" ref={box} />
}
