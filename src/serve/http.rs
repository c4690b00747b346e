//! HTTP: the last good build served from memory under the base path, the live-reload script and
//! its event stream. Paths are looked up in the in-memory file map only, so no request can
//! reach the disk, whatever it contains.

use std::convert::Infallible;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::body::Body;
use axum::extract::State;
use axum::http::{HeaderValue, Method, StatusCode, Uri, header};
use axum::response::sse::{Event as SseEvent, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use tokio_stream::StreamExt;
use tokio_stream::wrappers::BroadcastStream;

use super::state::{Event, Shared};

/// Where the live-reload script and events live, under the base path. No slug can contain `_`.
pub const LIVE_PREFIX: &str = "__lectern/";
const LIVE_JS: &str = include_str!("live.js");

pub fn router(shared: Arc<Shared>) -> Router {
    Router::new().fallback(handle).with_state(shared)
}

async fn handle(State(shared): State<Arc<Shared>>, method: Method, uri: Uri) -> Response {
    if method != Method::GET && method != Method::HEAD {
        return plain(
            StatusCode::METHOD_NOT_ALLOWED,
            "only GET and HEAD are served\n",
        );
    }
    let base = shared.base_path();
    let raw = uri.path();
    let Some(rest) = raw
        .strip_prefix(base.as_str())
        .or_else(|| (raw.to_string() + "/" == base).then_some(""))
    else {
        // Outside the base path: send the reader to the site, so base-path bugs show locally.
        return redirect(&base);
    };
    let Some(rel) = clean_path(rest) else {
        return plain(StatusCode::BAD_REQUEST, "bad path\n");
    };
    if rel == format!("{LIVE_PREFIX}events") {
        return events(&shared).into_response();
    }
    if rel == format!("{LIVE_PREFIX}live.js") {
        return with_type(
            Body::from(LIVE_JS),
            "text/javascript; charset=utf-8",
            StatusCode::OK,
        );
    }
    let files = shared.files();
    let (key, status) = if rel.is_empty() || rel.ends_with('/') {
        (format!("{rel}index.html"), StatusCode::OK)
    } else if files.contains_key(&rel) {
        (rel.clone(), StatusCode::OK)
    } else if files.contains_key(&format!("{rel}/index.html")) {
        // A folder without its slash: redirect, so relative URLs in the page resolve.
        return redirect(&format!("{base}{rel}/"));
    } else {
        (rel.clone(), StatusCode::OK)
    };
    let (key, status) = if files.contains_key(&key) {
        (key, status)
    } else {
        ("404.html".to_string(), StatusCode::NOT_FOUND)
    };
    let Some(bytes) = files.get(&key) else {
        return plain(StatusCode::NOT_FOUND, "not found\n");
    };
    let mime = mime_type(&key);
    let body = if mime.starts_with("text/html") {
        inject(bytes, &base)
    } else {
        bytes.to_vec()
    };
    if method == Method::HEAD {
        let mut r = with_type(Body::empty(), mime, status);
        if let Ok(v) = HeaderValue::from_str(&body.len().to_string()) {
            r.headers_mut().insert(header::CONTENT_LENGTH, v);
        }
        return r;
    }
    with_type(Body::from(body), mime, status)
}

/// Decodes a request path below the base path into a key of the file map. Refuses anything that
/// could mean another folder: `..`, encoded slashes or backslashes, NUL, absolute parts.
pub fn clean_path(rest: &str) -> Option<String> {
    if rest.contains('\\') {
        return None;
    }
    let lower = rest.to_ascii_lowercase();
    if lower.contains("%2f") || lower.contains("%5c") || lower.contains("%00") {
        return None;
    }
    let decoded = percent_decode(rest)?;
    if decoded.contains('\0') || decoded.contains('\\') {
        return None;
    }
    let mut parts = Vec::new();
    for seg in decoded.split('/') {
        match seg {
            "" | "." => {}
            ".." => return None,
            s if s.contains(':') => return None,
            s => parts.push(s),
        }
    }
    let mut out = parts.join("/");
    if decoded.ends_with('/') && !out.is_empty() {
        out.push('/');
    }
    Some(out)
}

fn percent_decode(s: &str) -> Option<String> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = |b: u8| (b as char).to_digit(16);
            let h = hex(*bytes.get(i + 1)?)?;
            let l = hex(*bytes.get(i + 2)?)?;
            out.push((h * 16 + l) as u8);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

/// Adds the live-reload script to a page.
fn inject(html: &[u8], base: &str) -> Vec<u8> {
    let tag = format!(
        "<script src=\"{base}{LIVE_PREFIX}live.js\" data-base=\"{base}\" defer></script>\n"
    );
    let text = String::from_utf8_lossy(html);
    match text.rfind("</body>") {
        Some(i) => format!("{}{tag}{}", &text[..i], &text[i..]).into_bytes(),
        None => format!("{text}{tag}").into_bytes(),
    }
}

fn events(
    shared: &Shared,
) -> Sse<impl tokio_stream::Stream<Item = Result<SseEvent, Infallible>> + use<>> {
    // A tab that connects while the site is broken sees the error at once.
    let first = shared.error().map(|text| Event::Error { text });
    let initial = tokio_stream::iter(first.into_iter().map(Ok::<Event, Infallible>));
    let updates = BroadcastStream::new(shared.events.subscribe())
        .filter_map(|e| e.ok().map(Ok::<Event, Infallible>));
    let stream = initial.chain(updates).map(|e| {
        let e = e.unwrap_or(Event::Ok);
        let json = serde_json::to_string(&e).unwrap_or_else(|_| "{\"type\":\"ok\"}".to_string());
        Ok(SseEvent::default().data(json))
    });
    Sse::new(stream).keep_alive(KeepAlive::new().interval(Duration::from_secs(15)))
}

/// The answer to a request that names another host: a page elsewhere reaching the preview
/// through a name of its own (see `hosts`).
pub fn unknown_host() -> Response {
    plain(
        StatusCode::FORBIDDEN,
        "forbidden: the preview answers only requests for localhost or its own IP address\n",
    )
}

fn redirect(to: &str) -> Response {
    let mut r = Response::new(Body::empty());
    *r.status_mut() = StatusCode::FOUND;
    if let Ok(v) = HeaderValue::from_str(to) {
        r.headers_mut().insert(header::LOCATION, v);
    }
    no_cache(r)
}

fn plain(status: StatusCode, text: &'static str) -> Response {
    with_type(Body::from(text), "text/plain; charset=utf-8", status)
}

fn with_type(body: Body, mime: &str, status: StatusCode) -> Response {
    let mut r = Response::new(body);
    *r.status_mut() = status;
    if let Ok(v) = HeaderValue::from_str(mime) {
        r.headers_mut().insert(header::CONTENT_TYPE, v);
    }
    r.headers_mut().insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    no_cache(r)
}

/// A preview must never show a stale page after a save.
fn no_cache(mut r: Response) -> Response {
    r.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    r
}

pub fn mime_type(path: &str) -> &'static str {
    let ext = path
        .rsplit_once('.')
        .map_or("", |(_, e)| e)
        .to_ascii_lowercase();
    match ext.as_str() {
        "html" | "htm" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "json" => "application/json",
        "gz" => "application/gzip",
        "xml" => "application/xml",
        "txt" => "text/plain; charset=utf-8",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "avif" => "image/avif",
        "ico" => "image/x-icon",
        "woff2" => "font/woff2",
        "woff" => "font/woff",
        "ttf" => "font/ttf",
        "otf" => "font/otf",
        "pdf" => "application/pdf",
        "mp3" => "audio/mpeg",
        "mp4" => "video/mp4",
        "webm" => "video/webm",
        "wasm" => "application/wasm",
        _ => "application/octet-stream",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clean_paths_stay_inside_the_site() {
        assert_eq!(clean_path("essays/x/").as_deref(), Some("essays/x/"));
        assert_eq!(clean_path("").as_deref(), Some(""));
        assert_eq!(clean_path("a//b/./c.css").as_deref(), Some("a/b/c.css"));
        assert_eq!(clean_path("%C3%A9t%C3%A9.png").as_deref(), Some("été.png"));
        for bad in [
            "../etc/passwd",
            "a/../../b",
            "%2e%2e/x",
            "a%2fb",
            "a%5cb",
            "..\\x",
            "a%00b",
            "C:/x",
            "%zz",
        ] {
            assert_eq!(clean_path(bad), None, "{bad}");
        }
    }
}
