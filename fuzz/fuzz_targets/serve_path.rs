//! The preview server's request-path cleaning: whatever comes in, what comes out names a file
//! under the site and nothing above it.

#![no_main]

use lectern::serve::clean_path;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Some(path) = clean_path(text) {
        assert!(!path.starts_with('/'), "{path:?}");
        assert!(!path.contains('\\') && !path.contains('\0'), "{path:?}");
        assert!(
            path.split('/')
                .all(|s| s != ".." && s != "." && !s.contains(':')),
            "{path:?}"
        );
    }
});
