/** One bar per hour, oldest first. */
export interface HourlySeries {
  /** Start of the first hour, ms since the epoch. */
  from: number
  counts: number[]
}

const HOUR_MS = 3_600_000

/** Counts of `times` (ms) in each of the `hours` whole hours up to `now`. */
export function hourly(times: number[], now: number, hours = 24): HourlySeries {
  const end = Math.floor(now / HOUR_MS) * HOUR_MS + HOUR_MS
  const from = end - hours * HOUR_MS
  const counts = Array.from({ length: hours }, () => 0)
  for (const t of times) {
    const i = Math.floor((t - from) / HOUR_MS)
    if (i >= 0 && i < hours) counts[i] = (counts[i] ?? 0) + 1
  }
  return { from, counts }
}

/**
 * A small bar chart drawn inline (no script, no stylesheet needed): each bar names its hour and
 * count in a `<title>`, and the figure has a text summary for screen readers.
 */
export function BarChart(props: { series: HourlySeries; label: string; fill?: string }) {
  const { counts, from } = props.series
  const [width, height, gap] = [480, 96, 2]
  const barWidth = width / counts.length - gap
  const max = Math.max(1, ...counts)
  const total = counts.reduce((a, b) => a + b, 0)
  return (
    <figure>
      <svg
        viewBox={`0 0 ${width} ${height + 16}`}
        width={width}
        height={height + 16}
        role="img"
        aria-label={`${props.label}: ${total} in the last ${counts.length} hours`}
      >
        {counts.map((n, i) => {
          const h = Math.round((n / max) * height)
          const hour = new Date(from + i * HOUR_MS).toISOString().slice(11, 16)
          return (
            <rect
              x={i * (barWidth + gap)}
              y={height - h}
              width={barWidth}
              height={Math.max(h, 1)}
              fill={n > 0 ? (props.fill ?? '#cf222e') : '#d0d7de'}
            >
              <title>{`${hour} UTC: ${n}`}</title>
            </rect>
          )
        })}
        <text x="0" y={height + 14} font-size="11" fill="#57606a">
          {new Date(from).toISOString().slice(11, 16)}
        </text>
        <text x={width} y={height + 14} font-size="11" fill="#57606a" text-anchor="end">
          now
        </text>
      </svg>
      <figcaption>{`${props.label}: ${total} in the last ${counts.length} hours (UTC)`}</figcaption>
    </figure>
  )
}
