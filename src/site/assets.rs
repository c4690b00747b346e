//! The files a site serves besides its pages (the theme's static files overlaid with the
//! site's `static/`), as conversion needs to know them: whether an image a body names exists,
//! and how large it is, so that its page reserves the space before it loads.

use std::collections::HashMap;
use std::hash::{DefaultHasher, Hash, Hasher};

/// Width and height in pixels.
pub type Size = (u32, u32);

/// Static files by output path (`images/stoa.jpg`), with the size of each raster image.
#[derive(Debug, Clone, Default)]
pub struct Assets {
    files: HashMap<String, Option<Size>>,
    fingerprint: u64,
    /// Whether the files are known at all: when they could not be read, every path is taken
    /// to exist (the build fails for that other reason).
    known: bool,
}

/// Extensions read for a size: the raster formats a browser shows.
const RASTER: &[&str] = &["png", "jpg", "jpeg", "gif", "webp", "avif", "bmp", "ico"];

impl Assets {
    /// Takes each file's output path and bytes.
    pub fn new<'a>(files: impl IntoIterator<Item = (&'a str, &'a [u8])>) -> Assets {
        let mut h = DefaultHasher::new();
        let mut map = HashMap::new();
        for (path, bytes) in files {
            let size = is_raster(path)
                .then(|| imagesize::blob_size(bytes).ok())
                .flatten()
                .and_then(|s| Some((u32::try_from(s.width).ok()?, u32::try_from(s.height).ok()?)));
            (path, size).hash(&mut h);
            map.insert(path.to_string(), size);
        }
        Assets {
            files: map,
            fingerprint: h.finish(),
            known: true,
        }
    }

    /// Assets that could not be read: every path is taken to exist, with no size.
    pub fn unknown() -> Assets {
        Assets::default()
    }

    /// None when there is no such file; else the image's size, when it has one.
    pub fn get(&self, path: &str) -> Option<Option<Size>> {
        match self.files.get(path) {
            Some(size) => Some(*size),
            None if !self.known => Some(None),
            None => None,
        }
    }

    /// A file that `wanted` (a path as written, rooted or not) may have meant: one with the same
    /// file name, else the nearest image path.
    pub fn suggest(&self, wanted: &str) -> Option<String> {
        let wanted = wanted.trim_start_matches("./").trim_start_matches('/');
        let name = wanted.rsplit('/').next().unwrap_or(wanted);
        let mut same_name: Vec<&str> = self
            .files
            .keys()
            .map(String::as_str)
            .filter(|p| p.rsplit('/').next() == Some(name))
            .collect();
        same_name.sort_unstable();
        if let Some(first) = same_name.first() {
            return Some(format!("/{first}"));
        }
        let images = self
            .files
            .keys()
            .map(String::as_str)
            .filter(|p| is_image(p));
        crate::diagnostics::did_you_mean(wanted, images).map(|p| format!("/{p}"))
    }

    /// Changes whenever a file is added, removed or resized: conversions depend on it.
    pub fn fingerprint(&self) -> u64 {
        self.fingerprint
    }
}

fn extension(path: &str) -> String {
    path.rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .unwrap_or_default()
}

fn is_raster(path: &str) -> bool {
    RASTER.contains(&extension(path).as_str())
}

fn is_image(path: &str) -> bool {
    is_raster(path) || extension(path) == "svg"
}
