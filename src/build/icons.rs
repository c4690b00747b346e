//! The icons a phone or a browser's "install" asks for, made from one SVG: the site's
//! `favicon.svg` (the theme's unless `static/` has its own) rendered to `apple-touch-icon.png`
//! (180 pixels) and to the 192 and 512 pixel icons that `manifest.webmanifest` lists with the
//! course's title and colour. A file of any of these names in `static/` is used as it is.

use std::sync::Arc;

use resvg::{tiny_skia, usvg};

use super::assets::Files;
use crate::config::Config;
use crate::diagnostics::{Diagnostic, Diagnostics};

/// The PNG icons by output path, and their size in pixels.
const PNGS: &[(&str, u32)] = &[
    ("apple-touch-icon.png", 180),
    ("icon-192.png", 192),
    ("icon-512.png", 512),
];

/// The page background of the default theme, behind an installed course as it opens.
const BACKGROUND: &str = "#fdfbf7";

/// The icon files `statics` does not already hold, or an error when its favicon is no SVG.
pub fn icon_files(config: &Config, statics: &Files) -> Result<Files, Diagnostics> {
    let mut files = Files::new();
    let Some(svg) = statics.get("favicon.svg") else {
        return Ok(files);
    };
    let colour = first_fill(svg).unwrap_or_else(|| "#8a2f1d".to_string());
    let missing: Vec<_> = PNGS
        .iter()
        .filter(|(p, _)| !statics.contains_key(*p))
        .collect();
    if !missing.is_empty() {
        let tree = usvg::Tree::from_data(svg, &usvg::Options::default()).map_err(|e| {
            Diagnostic::general(format!("favicon.svg cannot be read as SVG: {e}")).with_hint(
                "put a valid SVG icon at static/favicon.svg, or remove it to use the theme's",
            )
        })?;
        for &&(path, size) in &missing {
            if let Some(png) = render(&tree, size, &colour) {
                files.insert(path.to_string(), Arc::from(png));
            }
        }
    }
    if !statics.contains_key("manifest.webmanifest") {
        let manifest = manifest(config, &colour);
        files.insert(
            "manifest.webmanifest".to_string(),
            Arc::from(manifest.into_bytes()),
        );
    }
    Ok(files)
}

/// `tree` drawn on a square of `size` pixels filled with `colour` (a phone shows no
/// transparency on a home screen), centred and scaled to fit.
fn render(tree: &usvg::Tree, size: u32, colour: &str) -> Option<Vec<u8>> {
    let mut pixmap = tiny_skia::Pixmap::new(size, size)?;
    if let Some(c) = parse_hex(colour) {
        pixmap.fill(c);
    }
    let (w, h) = (tree.size().width(), tree.size().height());
    let scale = size as f32 / w.max(h);
    let dx = (size as f32 - w * scale) / 2.0;
    let dy = (size as f32 - h * scale) / 2.0;
    let transform = tiny_skia::Transform::from_scale(scale, scale).post_translate(dx, dy);
    resvg::render(tree, transform, &mut pixmap.as_mut());
    pixmap.encode_png().ok()
}

fn manifest(config: &Config, colour: &str) -> String {
    let base = &config.base_path;
    let mut icons = vec![serde_json::json!({
        "src": format!("{base}favicon.svg"), "sizes": "any", "type": "image/svg+xml"
    })];
    for (path, size) in &PNGS[1..] {
        icons.push(serde_json::json!({
            "src": format!("{base}{path}"), "sizes": format!("{size}x{size}"), "type": "image/png"
        }));
    }
    let value = serde_json::json!({
        "name": config.title,
        "short_name": config.title,
        "description": config.description,
        "lang": config.language,
        "start_url": base,
        "scope": base,
        "display": "standalone",
        "background_color": BACKGROUND,
        "theme_color": colour,
        "icons": icons,
    });
    let mut text = serde_json::to_string_pretty(&value).unwrap_or_default();
    text.push('\n');
    text
}

/// The first `fill="#rrggbb"` of an SVG: the colour of its first shape, taken as the course's.
fn first_fill(svg: &[u8]) -> Option<String> {
    let text = std::str::from_utf8(svg).ok()?;
    let at = text.find("fill=\"#")? + "fill=\"".len();
    let colour = text.get(at..at + 7)?;
    parse_hex(colour).map(|_| colour.to_ascii_lowercase())
}

fn parse_hex(colour: &str) -> Option<tiny_skia::Color> {
    let hex = colour.strip_prefix('#').filter(|h| h.len() == 6)?;
    let byte = |i: usize| u8::from_str_radix(hex.get(i..i + 2)?, 16).ok();
    Some(tiny_skia::Color::from_rgba8(
        byte(0)?,
        byte(2)?,
        byte(4)?,
        255,
    ))
}
