//! A lesson's [`Drawing`] as an SVG lane chart: what its demo prints in the
//! terminal, at a resolution the terminal lacks — every span is a bar from
//! its start to its end, on one time axis for all the runs.

use std::path::Path;
use std::time::Duration;

use anyhow::Context;
use course_support::timeline::{self, Drawing, Timeline};
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

/// At most this many lanes of a run are drawn; a line counts the rest.
const MAX_LANES: usize = 12;
const WIDTH: u32 = 900;
/// The lane labels' column, the right margin, and each row's height.
const LABELS: i32 = 170;
const RIGHT: i32 = 30;
const ROW: i32 = 22;
const FONT: &str = "sans-serif";
/// The title's and the note's lines wrap at about the picture's width.
const TITLE_CHARS: usize = 80;
const NOTE_CHARS: usize = 105;
/// One colour per run, counted from the last (the "after").
const RUN_COLOURS: [RGBColor; 3] = [
    RGBColor(67, 147, 195),
    RGBColor(214, 96, 77),
    RGBColor(90, 174, 97),
];

/// Draws `drawing` into the SVG file `path`.
pub(crate) fn draw(drawing: &Drawing, path: &Path) -> anyhow::Result<()> {
    let length = drawing
        .runs
        .iter()
        .map(|(_, t)| t.length())
        .max()
        .unwrap_or_default()
        .max(Duration::from_micros(1));
    let rows: i32 = drawing
        .runs
        .iter()
        .map(|(_, t)| {
            let lanes = t.drawn_lanes().len();
            // The caption, the lanes, and a line counting the lanes not drawn.
            1 + lanes.min(MAX_LANES) as i32 + i32::from(lanes > MAX_LANES)
        })
        .sum();
    let title = timeline::wrap(&drawing.title, TITLE_CHARS);
    let note = timeline::wrap(&drawing.note, NOTE_CHARS);
    // Title, runs with a gap after each, the time axis, the note.
    let top = 16 + title.len() as i32 * 24;
    let height =
        top + rows * ROW + drawing.runs.len() as i32 * 8 + 40 + note.len() as i32 * 20 + 16;
    let area = SVGBackend::new(path, (WIDTH, height as u32)).into_drawing_area();
    area.fill(&WHITE)?;
    let plot_width = WIDTH as i32 - LABELS - RIGHT;
    let x_of = |t: Duration| {
        LABELS + (t.as_secs_f64() / length.as_secs_f64() * f64::from(plot_width)) as i32
    };
    let text =
        |size: u32, colour: &RGBColor| FONT.into_font().resize(f64::from(size)).color(colour);
    for (n, line) in title.into_iter().enumerate() {
        area.draw(&Text::new(line, (10, 12 + n as i32 * 24), text(20, &BLACK)))?;
    }
    let mut y = top;
    for (index, (caption, timeline)) in drawing.runs.iter().enumerate() {
        // The last run (the "after") is blue, earlier ones red, then green.
        let from_last = drawing.runs.len() - 1 - index;
        let colour = RUN_COLOURS[from_last % RUN_COLOURS.len()];
        area.draw(&Text::new(
            caption.clone(),
            (LABELS, y + 4),
            text(16, &BLACK),
        ))?;
        y += ROW;
        y = draw_lanes(&area, timeline, &colour, y, &x_of)?;
        y += 8;
    }
    draw_axis(&area, y, length, &x_of)?;
    for (n, line) in note.into_iter().enumerate() {
        let at = (10, y + 36 + n as i32 * 20);
        area.draw(&Text::new(line, at, text(16, &RGBColor(60, 60, 60))))?;
    }
    area.present()
        .with_context(|| format!("cannot write {}", path.display()))?;
    Ok(())
}

/// One row per lane from `y`: its label, a thin idle line, a bar per span.
/// Returns the `y` under the last row.
fn draw_lanes(
    area: &DrawingArea<SVGBackend<'_>, plotters::coord::Shift>,
    timeline: &Timeline,
    colour: &RGBColor,
    mut y: i32,
    x_of: &dyn Fn(Duration) -> i32,
) -> anyhow::Result<i32> {
    let lanes = timeline.drawn_lanes();
    let origin = timeline.start();
    let label = FONT
        .into_font()
        .resize(15.0)
        .color(&BLACK)
        .pos(Pos::new(HPos::Right, VPos::Center));
    for lane in lanes.iter().take(MAX_LANES) {
        let middle = y + ROW / 2;
        area.draw(&Text::new(
            lane.to_string(),
            (LABELS - 8, middle),
            label.clone(),
        ))?;
        area.draw(&PathElement::new(
            vec![
                (x_of(Duration::ZERO), middle),
                (x_of(timeline.length()), middle),
            ],
            RGBColor(200, 200, 200).stroke_width(1),
        ))?;
        for interval in timeline.intervals().iter().filter(|i| i.lane == *lane) {
            let (from, to) = (x_of(interval.start - origin), x_of(interval.end - origin));
            // A pixel of white between spans back to back, so each job
            // shows; at least a pixel wide, so a short span still shows.
            let to = if to - from > 2 {
                to - 1
            } else {
                to.max(from + 1)
            };
            area.draw(&Rectangle::new(
                [(from, y + 4), (to, y + ROW - 4)],
                colour.filled(),
            ))?;
        }
        y += ROW;
    }
    if lanes.len() > MAX_LANES {
        let more = format!("… and {} more lanes", lanes.len() - MAX_LANES);
        area.draw(&Text::new(
            more,
            (LABELS, y + 4),
            FONT.into_font().resize(15.0).color(&BLACK),
        ))?;
        y += ROW;
    }
    Ok(y)
}

/// The time axis at `y`: a line with a few round ticks.
fn draw_axis(
    area: &DrawingArea<SVGBackend<'_>, plotters::coord::Shift>,
    y: i32,
    length: Duration,
    x_of: &dyn Fn(Duration) -> i32,
) -> anyhow::Result<()> {
    area.draw(&PathElement::new(
        vec![(x_of(Duration::ZERO), y), (x_of(length), y)],
        BLACK.stroke_width(1),
    ))?;
    let step = round_step(length);
    let tick_label = FONT
        .into_font()
        .resize(15.0)
        .color(&BLACK)
        .pos(Pos::new(HPos::Center, VPos::Top));
    let mut t = Duration::ZERO;
    while t <= length {
        let x = x_of(t);
        area.draw(&PathElement::new(
            vec![(x, y), (x, y + 5)],
            BLACK.stroke_width(1),
        ))?;
        let label = if t.is_zero() {
            "0".to_owned()
        } else {
            course_support::fmt_duration(t)
        };
        area.draw(&Text::new(label, (x, y + 8), tick_label.clone()))?;
        t += step;
    }
    Ok(())
}

/// A round tick spacing (1, 2 or 5 × a power of ten) giving 4 to 10 ticks.
fn round_step(length: Duration) -> Duration {
    let raw = length.as_secs_f64() / 6.0;
    let power = 10f64.powf(raw.log10().floor());
    let step = [1.0, 2.0, 5.0, 10.0]
        .into_iter()
        .map(|m| m * power)
        .find(|s| *s >= raw)
        .unwrap_or(10.0 * power);
    // Whole microseconds: the float arithmetic above is not exact.
    Duration::from_micros((step * 1e6).round() as u64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ticks_are_round() {
        assert_eq!(
            round_step(Duration::from_millis(61)),
            Duration::from_millis(20)
        );
        assert_eq!(
            round_step(Duration::from_millis(600)),
            Duration::from_millis(100)
        );
        assert_eq!(
            round_step(Duration::from_secs(3)),
            Duration::from_millis(500)
        );
    }
}
