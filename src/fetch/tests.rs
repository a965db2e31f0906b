//! Fetcher tests against small axum servers on 127.0.0.1 (nothing leaves the machine).

use std::net::SocketAddr;
use std::num::{NonZeroU64, NonZeroUsize};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use axum::Router;
use axum::body::Body;
use axum::extract::Path;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response as AxumResponse};
use axum::routing::get;
use url::Url;

use super::*;
use crate::config::{FetchConfig, HostPort};

async fn serve(router: Router) -> SocketAddr {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, router).await.unwrap() });
    addr
}

fn config_allowing(port: u16) -> FetchConfig {
    FetchConfig {
        allow_private: vec![HostPort::parse(&format!("127.0.0.1:{port}")).unwrap()],
        per_host_interval_ms: 0,
        ..FetchConfig::default()
    }
}

fn url(addr: SocketAddr, path: &str) -> Url {
    Url::parse(&format!("http://{addr}{path}")).unwrap()
}

fn fetched(outcome: Outcome) -> Response {
    match outcome {
        Outcome::Fetched(r) => r,
        Outcome::NotModified => panic!("expected a body, got 304"),
    }
}

async fn conditional(headers: HeaderMap) -> AxumResponse {
    let etag_ok = headers
        .get(header::IF_NONE_MATCH)
        .is_some_and(|v| v == "\"v1\"");
    let date_ok = headers
        .get(header::IF_MODIFIED_SINCE)
        .is_some_and(|v| v == "Wed, 25 Nov 2026 10:00:00 GMT");
    if etag_ok || date_ok {
        return StatusCode::NOT_MODIFIED.into_response();
    }
    (
        [
            (header::ETAG, "\"v1\""),
            (header::LAST_MODIFIED, "Wed, 25 Nov 2026 10:00:00 GMT"),
        ],
        "<rss/>",
    )
        .into_response()
}

#[tokio::test]
async fn conditional_get_with_etag_and_last_modified() {
    let addr = serve(Router::new().route("/feed", get(conditional))).await;
    let fetcher = Fetcher::new(&config_allowing(addr.port())).unwrap();
    let first = fetched(fetcher.get(&url(addr, "/feed"), None).await.unwrap());
    assert_eq!(first.body, b"<rss/>");
    assert_eq!(first.validators.etag.as_deref(), Some("\"v1\""));
    assert_eq!(
        first.validators.last_modified.as_deref(),
        Some("Wed, 25 Nov 2026 10:00:00 GMT")
    );

    let again = fetcher
        .get(&url(addr, "/feed"), Some(&first.validators))
        .await
        .unwrap();
    assert!(matches!(again, Outcome::NotModified));
    let only_date = Validators {
        etag: None,
        last_modified: first.validators.last_modified.clone(),
    };
    assert!(matches!(
        fetcher
            .get(&url(addr, "/feed"), Some(&only_date))
            .await
            .unwrap(),
        Outcome::NotModified
    ));
    let stale = Validators {
        etag: Some("\"v0\"".into()),
        last_modified: None,
    };
    assert!(matches!(
        fetcher
            .get(&url(addr, "/feed"), Some(&stale))
            .await
            .unwrap(),
        Outcome::Fetched(_)
    ));
}

fn gzip(data: &[u8]) -> Vec<u8> {
    use std::io::Write;
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    enc.write_all(data).unwrap();
    enc.finish().unwrap()
}

/// A gzip body sent in small chunks without Content-Length: only the streaming count can stop it.
fn streamed_gzip(plain_len: usize) -> AxumResponse {
    let compressed = gzip(&vec![b'a'; plain_len]);
    let chunks: Vec<Result<Vec<u8>, std::io::Error>> =
        compressed.chunks(512).map(|c| Ok(c.to_vec())).collect();
    let body = Body::from_stream(futures_util::stream::iter(chunks));
    ([(header::CONTENT_ENCODING, "gzip")], body).into_response()
}

/// A server that gzips a feed and forgets the Content-Encoding header (or gzips it twice, once
/// declared): the body still reaches the parser unpacked, under the same cap.
#[tokio::test]
async fn undeclared_gzip_bodies_are_unpacked_under_the_cap() {
    const FEED: &[u8] = b"<?xml version=\"1.0\"?><rss version=\"2.0\"><channel></channel></rss>";
    let router = Router::new()
        .route("/undeclared", get(|| async { gzip(FEED) }))
        .route(
            "/twice",
            get(|| async { ([(header::CONTENT_ENCODING, "gzip")], gzip(&gzip(FEED))) }),
        )
        .route(
            "/bomb",
            get(|| async { gzip(&vec![b' '; 4 * 1024 * 1024]) }),
        )
        .route("/broken", get(|| async { gzip(FEED)[..20].to_vec() }));
    let addr = serve(router).await;
    let config = FetchConfig {
        max_body_bytes: NonZeroU64::new(64 * 1024).unwrap(),
        ..config_allowing(addr.port())
    };
    let fetcher = Fetcher::new(&config).unwrap();
    for path in ["/undeclared", "/twice"] {
        let got = fetched(fetcher.get(&url(addr, path), None).await.unwrap());
        assert_eq!(got.body, FEED, "{path}");
    }
    let err = fetcher.get(&url(addr, "/bomb"), None).await.unwrap_err();
    assert!(
        matches!(err, FetchError::TooLarge { limit: 65536, .. }),
        "{err}"
    );
    let err = fetcher.get(&url(addr, "/broken"), None).await.unwrap_err();
    assert!(matches!(err, FetchError::Compressed { .. }), "{err}");
    assert!(err.to_string().contains("/broken"), "{err}");
    assert!(
        err.to_string().contains("gzip data does not unpack"),
        "{err}"
    );
}

#[tokio::test]
async fn body_cap_counts_decompressed_bytes_while_streaming() {
    let router = Router::new()
        .route("/bomb", get(|| async { streamed_gzip(4 * 1024 * 1024) }))
        .route("/small", get(|| async { streamed_gzip(1000) }))
        .route("/declared", get(|| async { vec![b'x'; 100_000] }));
    let addr = serve(router).await;
    let config = FetchConfig {
        max_body_bytes: NonZeroU64::new(64 * 1024).unwrap(),
        ..config_allowing(addr.port())
    };
    let fetcher = Fetcher::new(&config).unwrap();
    let err = fetcher.get(&url(addr, "/bomb"), None).await.unwrap_err();
    assert!(
        matches!(err, FetchError::TooLarge { limit: 65536, .. }),
        "{err}"
    );
    assert!(err.to_string().contains("/bomb"), "{err}");
    let small = fetched(fetcher.get(&url(addr, "/small"), None).await.unwrap());
    assert_eq!(small.body, vec![b'a'; 1000], "gzip must be decompressed");
    let err = fetcher
        .get(&url(addr, "/declared"), None)
        .await
        .unwrap_err();
    assert!(matches!(err, FetchError::TooLarge { .. }), "{err}");
}

async fn hop(Path(n): Path<u32>) -> AxumResponse {
    if n == 0 {
        return "arrived".into_response();
    }
    // Relative Location: resolved against the current URL.
    (
        StatusCode::FOUND,
        [(header::LOCATION, format!("{}", n - 1))],
    )
        .into_response()
}

#[tokio::test]
async fn redirects_are_followed_up_to_the_cap() {
    let addr = serve(Router::new().route("/r/{n}", get(hop))).await;
    let config = FetchConfig {
        max_redirects: 3,
        ..config_allowing(addr.port())
    };
    let fetcher = Fetcher::new(&config).unwrap();
    let ok = fetched(fetcher.get(&url(addr, "/r/3"), None).await.unwrap());
    assert_eq!(ok.body, b"arrived");
    assert_eq!(ok.final_url, url(addr, "/r/0"));
    assert_eq!(ok.requested_url, url(addr, "/r/3"));
    let err = fetcher.get(&url(addr, "/r/4"), None).await.unwrap_err();
    assert!(
        matches!(err, FetchError::TooManyRedirects { limit: 3, .. }),
        "{err}"
    );
}

#[tokio::test]
async fn redirect_hops_to_blocked_addresses_are_refused() {
    let router = Router::new()
        .route(
            "/to-private",
            get(|| async {
                (
                    StatusCode::MOVED_PERMANENTLY,
                    [(header::LOCATION, "http://10.0.0.1/secret")],
                )
            }),
        )
        .route(
            "/to-metadata",
            get(|| async {
                (
                    StatusCode::FOUND,
                    [(header::LOCATION, "http://169.254.169.254/latest/")],
                )
            }),
        )
        .route("/ok", get(|| async { "ok" }));
    let addr = serve(router).await;
    let port = addr.port();
    let router2 = Router::new().route(
        "/to-localhost",
        get(move || async move {
            (
                StatusCode::FOUND,
                [(header::LOCATION, format!("http://localhost:{port}/ok"))],
            )
        }),
    );
    let addr2 = serve(router2).await;
    let config = FetchConfig {
        allow_private: vec![
            HostPort::parse(&format!("127.0.0.1:{port}")).unwrap(),
            HostPort::parse(&format!("127.0.0.1:{}", addr2.port())).unwrap(),
        ],
        per_host_interval_ms: 0,
        ..FetchConfig::default()
    };
    let fetcher = Fetcher::new(&config).unwrap();
    let err = fetcher
        .get(&url(addr, "/to-private"), None)
        .await
        .unwrap_err();
    assert!(
        matches!(&err, FetchError::Blocked { url, .. } if url == "http://10.0.0.1/secret"),
        "{err}"
    );
    let err = fetcher
        .get(&url(addr, "/to-metadata"), None)
        .await
        .unwrap_err();
    assert!(
        matches!(&err, FetchError::Blocked { reason, .. } if reason.contains("link-local")),
        "{err}"
    );
    // A host name is checked on its resolved addresses, by the resolver reqwest calls.
    let err = fetcher
        .get(&url(addr2, "/to-localhost"), None)
        .await
        .unwrap_err();
    assert!(
        matches!(&err, FetchError::Blocked { reason, .. } if reason.contains("loopback")),
        "{err:?}"
    );
}

#[tokio::test]
async fn blocked_ip_literal_is_refused_before_connecting() {
    let fetcher = Fetcher::new(&FetchConfig {
        per_host_interval_ms: 0,
        ..FetchConfig::default()
    })
    .unwrap();
    let start = Instant::now();
    let err = fetcher
        .get(&Url::parse("http://10.0.0.1/").unwrap(), None)
        .await
        .unwrap_err();
    assert!(matches!(err, FetchError::Blocked { .. }), "{err}");
    // A connection attempt to an unroutable address would take up to the connect timeout.
    assert!(start.elapsed() < Duration::from_millis(500));
    let err = fetcher
        .get(&Url::parse("http://[::1]:9/").unwrap(), None)
        .await
        .unwrap_err();
    assert!(matches!(err, FetchError::Blocked { .. }), "{err}");
    let err = fetcher
        .get(&Url::parse("ftp://example.com/").unwrap(), None)
        .await
        .unwrap_err();
    assert!(matches!(err, FetchError::InvalidUrl { .. }), "{err}");
}

#[tokio::test]
async fn sends_the_configured_user_agent() {
    let router = Router::new().route(
        "/ua",
        get(|headers: HeaderMap| async move {
            headers
                .get(header::USER_AGENT)
                .map(|v| v.to_str().unwrap().to_string())
                .unwrap_or_default()
        }),
    );
    let addr = serve(router).await;
    let config = FetchConfig {
        user_agent: "wiredesk-test/1".into(),
        ..config_allowing(addr.port())
    };
    let fetcher = Fetcher::new(&config).unwrap();
    assert_eq!(
        fetched(fetcher.get(&url(addr, "/ua"), None).await.unwrap()).body,
        b"wiredesk-test/1"
    );
}

#[tokio::test]
async fn allow_private_needs_the_right_port() {
    let addr = serve(Router::new().route("/", get(|| async { "hello" }))).await;
    let allowed = Fetcher::new(&config_allowing(addr.port())).unwrap();
    assert_eq!(
        fetched(allowed.get(&url(addr, "/"), None).await.unwrap()).body,
        b"hello"
    );
    let other_port = Fetcher::new(&config_allowing(addr.port().wrapping_add(1))).unwrap();
    let err = other_port.get(&url(addr, "/"), None).await.unwrap_err();
    assert!(matches!(err, FetchError::Blocked { .. }), "{err}");
}

#[tokio::test]
async fn allow_private_by_host_name_lets_its_resolution_through() {
    let addr = serve(Router::new().route("/", get(|| async { "named" }))).await;
    let named = Url::parse(&format!("http://localhost:{}/", addr.port())).unwrap();
    let config = FetchConfig {
        allow_private: vec![HostPort::parse(&format!("localhost:{}", addr.port())).unwrap()],
        per_host_interval_ms: 0,
        ..FetchConfig::default()
    };
    let fetcher = Fetcher::new(&config).unwrap();
    assert_eq!(
        fetched(fetcher.get(&named, None).await.unwrap()).body,
        b"named"
    );
    // The same name on an unlisted port goes through the strict resolver.
    let other = Url::parse(&format!(
        "http://localhost:{}/",
        addr.port().wrapping_add(1)
    ))
    .unwrap();
    let err = fetcher.get(&other, None).await.unwrap_err();
    assert!(matches!(err, FetchError::Blocked { .. }), "{err:?}");
}

#[tokio::test]
async fn status_errors_are_classified() {
    let router = Router::new()
        .route("/404", get(|| async { StatusCode::NOT_FOUND }))
        .route("/410", get(|| async { StatusCode::GONE }))
        .route("/503", get(|| async { StatusCode::SERVICE_UNAVAILABLE }))
        .route("/403", get(|| async { StatusCode::FORBIDDEN }));
    let addr = serve(router).await;
    let fetcher = Fetcher::new(&config_allowing(addr.port())).unwrap();
    for (path, gone, transient) in [
        ("/404", true, false),
        ("/410", true, false),
        ("/503", false, true),
        ("/403", false, false),
    ] {
        let err = fetcher.get(&url(addr, path), None).await.unwrap_err();
        assert!(matches!(err, FetchError::Status { .. }), "{err}");
        assert_eq!(err.is_gone(), gone, "{path}");
        assert_eq!(err.is_transient(), transient, "{path}");
        assert!(err.url().ends_with(path), "{err}");
    }
}

#[tokio::test]
async fn slow_server_times_out() {
    let router = Router::new().route(
        "/slow",
        get(|| async {
            tokio::time::sleep(Duration::from_secs(5)).await;
            "late"
        }),
    );
    let addr = serve(router).await;
    let config = FetchConfig {
        timeout_secs: NonZeroU64::new(1).unwrap(),
        ..config_allowing(addr.port())
    };
    let fetcher = Fetcher::new(&config).unwrap();
    let start = Instant::now();
    let err = fetcher.get(&url(addr, "/slow"), None).await.unwrap_err();
    assert!(matches!(err, FetchError::Timeout { .. }), "{err}");
    assert!(err.is_transient());
    assert!(start.elapsed() < Duration::from_secs(3));
}

#[tokio::test]
async fn global_concurrency_is_bounded() {
    let in_flight = Arc::new(AtomicUsize::new(0));
    let peak = Arc::new(AtomicUsize::new(0));
    let (f, p) = (Arc::clone(&in_flight), Arc::clone(&peak));
    let router = Router::new().route(
        "/{n}",
        get(move || {
            let (f, p) = (Arc::clone(&f), Arc::clone(&p));
            async move {
                let now = f.fetch_add(1, Ordering::SeqCst) + 1;
                p.fetch_max(now, Ordering::SeqCst);
                tokio::time::sleep(Duration::from_millis(100)).await;
                f.fetch_sub(1, Ordering::SeqCst);
                "x"
            }
        }),
    );
    let addr = serve(router).await;
    let config = FetchConfig {
        concurrency: NonZeroUsize::new(2).unwrap(),
        per_host_concurrency: NonZeroUsize::new(2).unwrap(),
        ..config_allowing(addr.port())
    };
    let fetcher = Fetcher::new(&config).unwrap();
    let tasks: Vec<_> = (0..6)
        .map(|n| {
            let fetcher = fetcher.clone();
            let u = url(addr, &format!("/{n}"));
            tokio::spawn(async move { fetcher.get(&u, None).await.map(|_| ()) })
        })
        .collect();
    for t in tasks {
        t.await.unwrap().unwrap();
    }
    assert_eq!(peak.load(Ordering::SeqCst), 2);
}

#[tokio::test]
async fn page_decodes_with_header_charset_and_reports_final_url() {
    let router = Router::new()
        .route(
            "/start",
            get(|| async {
                (
                    StatusCode::MOVED_PERMANENTLY,
                    [(header::LOCATION, "/article")],
                )
            }),
        )
        .route(
            "/article",
            get(|| async {
                (
                    [(header::CONTENT_TYPE, "text/html; charset=iso-8859-1")],
                    b"<p>Caf\xe9</p>".to_vec(),
                )
            }),
        );
    let addr = serve(router).await;
    let fetcher = Fetcher::new(&config_allowing(addr.port())).unwrap();
    let page = fetcher.page(&url(addr, "/start")).await.unwrap();
    assert_eq!(page.html, "<p>Caf\u{e9}</p>");
    assert_eq!(page.requested_url, url(addr, "/start").to_string());
    assert_eq!(page.final_url, url(addr, "/article").to_string());
}

/// A server that writes down when each request arrived, by path.
#[derive(Clone, Default)]
struct Arrivals(Arc<std::sync::Mutex<Vec<(String, Instant)>>>);

impl Arrivals {
    fn record(&self, path: &str) {
        self.0
            .lock()
            .unwrap()
            .push((path.to_string(), Instant::now()));
    }
    fn times(&self) -> Vec<(String, Instant)> {
        self.0.lock().unwrap().clone()
    }
}

#[tokio::test]
async fn requests_to_one_host_start_at_least_the_interval_apart() {
    let arrivals = Arrivals::default();
    let seen = arrivals.clone();
    let router = Router::new().route(
        "/{n}",
        get(move |Path(n): Path<u32>| {
            let seen = seen.clone();
            async move {
                seen.record(&n.to_string());
                "ok"
            }
        }),
    );
    let addr = serve(router).await;
    let config = FetchConfig {
        per_host_interval_ms: 400,
        per_host_concurrency: NonZeroUsize::new(4).unwrap(),
        ..config_allowing(addr.port())
    };
    let fetcher = Fetcher::new(&config).unwrap();
    let gets = (0..5).map(|n| {
        let (f, u) = (fetcher.clone(), url(addr, &format!("/{n}")));
        tokio::spawn(async move { f.get(&u, None).await.map(|_| ()) })
    });
    for g in futures_util::future::join_all(gets).await {
        g.unwrap().unwrap();
    }
    let mut times: Vec<Instant> = arrivals.times().into_iter().map(|(_, t)| t).collect();
    times.sort();
    assert_eq!(times.len(), 5);
    for pair in times.windows(2) {
        let gap = pair[1] - pair[0];
        // Measured at the server: the client spaces starts by 400 ms; the slack is for the
        // time between a start and the server reading the request, which varies on a busy
        // machine (unspaced, the five arrive within a few milliseconds).
        assert!(
            gap >= Duration::from_millis(300),
            "{gap:?} between requests"
        );
    }
}

#[tokio::test]
async fn retry_after_delays_the_next_request_to_that_host() {
    let arrivals = Arrivals::default();
    let seen = arrivals.clone();
    let router = Router::new()
        .route(
            "/busy",
            get({
                let seen = seen.clone();
                move || async move {
                    seen.record("busy");
                    (
                        StatusCode::TOO_MANY_REQUESTS,
                        [(header::RETRY_AFTER, "1")],
                        "slow down",
                    )
                }
            }),
        )
        .route(
            "/gone-for-an-hour",
            get({
                let seen = seen.clone();
                move || async move {
                    seen.record("hour");
                    (
                        StatusCode::SERVICE_UNAVAILABLE,
                        [(header::RETRY_AFTER, "3600")],
                        "",
                    )
                }
            }),
        )
        .route(
            "/ok",
            get(move || async move {
                seen.record("ok");
                "ok"
            }),
        );
    let addr = serve(router).await;
    let fetcher = Fetcher::new(&config_allowing(addr.port())).unwrap();
    let err = fetcher.get(&url(addr, "/busy"), None).await.unwrap_err();
    assert_eq!(err.status(), Some(429));
    fetched(fetcher.get(&url(addr, "/ok"), None).await.unwrap());
    let times = arrivals.times();
    let gap = times[1].1 - times[0].1;
    assert!(
        gap >= Duration::from_millis(950),
        "only {gap:?} after the 429"
    );

    // A pause longer than a request may wait: the next request fails at once, unsent.
    let err = fetcher
        .get(&url(addr, "/gone-for-an-hour"), None)
        .await
        .unwrap_err();
    assert_eq!(err.status(), Some(503));
    let start = Instant::now();
    let err = fetcher.get(&url(addr, "/ok"), None).await.unwrap_err();
    assert!(
        matches!(err, FetchError::Deferred { secs, .. } if secs > 3500),
        "{err}"
    );
    assert!(err.is_transient());
    assert!(start.elapsed() < Duration::from_secs(5));
    assert_eq!(
        arrivals.times().len(),
        3,
        "the deferred request was not sent"
    );
}

/// Extra headers (a feed's credentials) go to the feed's own host, and not to another host a
/// redirect leads to.
#[tokio::test]
async fn extra_headers_do_not_follow_a_redirect_to_another_host() {
    let seen: Arc<std::sync::Mutex<Vec<(String, bool)>>> = Arc::default();
    let record = |seen: &Arc<std::sync::Mutex<Vec<(String, bool)>>>, who: &str, h: &HeaderMap| {
        seen.lock()
            .unwrap()
            .push((who.to_string(), h.contains_key("x-api-key")));
    };
    let other = Router::new().route(
        "/feed.xml",
        get({
            let seen = seen.clone();
            move |h: HeaderMap| async move {
                record(&seen, "other", &h);
                "<rss/>"
            }
        }),
    );
    let other_addr = serve(other).await;
    let home = Router::new().route(
        "/feed.xml",
        get({
            let seen = seen.clone();
            move |h: HeaderMap| async move {
                record(&seen, "home", &h);
                (
                    StatusCode::FOUND,
                    [(header::LOCATION, format!("http://{other_addr}/feed.xml"))],
                )
            }
        }),
    );
    let home_addr = serve(home).await;
    let config = FetchConfig {
        allow_private: vec![
            HostPort::parse(&format!("127.0.0.1:{}", home_addr.port())).unwrap(),
            HostPort::parse(&format!("127.0.0.1:{}", other_addr.port())).unwrap(),
        ],
        per_host_interval_ms: 0,
        ..FetchConfig::default()
    };
    let fetcher = Fetcher::new(&config).unwrap();
    let key = (
        reqwest::header::HeaderName::from_static("x-api-key"),
        reqwest::header::HeaderValue::from_static("s3cret"),
    );
    fetched(
        fetcher
            .get_with_headers(&url(home_addr, "/feed.xml"), None, &[key])
            .await
            .unwrap(),
    );
    let seen = seen.lock().unwrap().clone();
    assert_eq!(
        seen,
        [("home".to_string(), true), ("other".to_string(), false)]
    );
}

/// A server whose robots.txt is `robots` (status and body), counting every request by path,
/// with article pages under `/news/` that take 50 ms to answer.
async fn robots_server(
    status: u16,
    robots: &'static str,
) -> (SocketAddr, Arc<std::sync::Mutex<Vec<(String, Instant)>>>) {
    let log: Arc<std::sync::Mutex<Vec<(String, Instant)>>> = Arc::default();
    let router = Router::new()
        .route("/robots.txt", {
            let log = log.clone();
            get(move || async move {
                log.lock()
                    .unwrap()
                    .push(("/robots.txt".into(), Instant::now()));
                // Slow enough that concurrent first requests overlap its fetch.
                tokio::time::sleep(Duration::from_millis(100)).await;
                (StatusCode::from_u16(status).unwrap(), robots).into_response()
            })
        })
        .route("/news/{page}", {
            let log = log.clone();
            get(move |Path(page): Path<String>| async move {
                log.lock()
                    .unwrap()
                    .push((format!("/news/{page}"), Instant::now()));
                "<html><body><p>page</p></body></html>"
            })
        });
    (serve(router).await, log)
}

fn paths(log: &std::sync::Mutex<Vec<(String, Instant)>>) -> Vec<String> {
    log.lock().unwrap().iter().map(|(p, _)| p.clone()).collect()
}

/// Eight article requests at once to a fresh host share one robots.txt fetch; a disallowed page
/// is never requested, an allowed one is; feeds (`get`) are not asked about.
#[tokio::test]
async fn robots_is_fetched_once_per_origin_and_disallowed_pages_are_not_requested() {
    let (addr, log) = robots_server(
        200,
        "User-agent: *\nDisallow: /news/private\n\nUser-agent: WireDesk\nDisallow: /news/blocked\n",
    )
    .await;
    let config = FetchConfig {
        per_host_concurrency: NonZeroUsize::new(8).unwrap(),
        ..config_allowing(addr.port())
    };
    let fetcher = Fetcher::new(&config).unwrap();
    let urls: Vec<Url> = (0..8)
        .map(|i| url(addr, &format!("/news/open-{i}")))
        .collect();
    let results =
        futures_util::future::join_all(urls.iter().map(|u| fetcher.article(u, None))).await;
    assert!(results.iter().all(Result::is_ok), "{results:?}");

    let err = fetcher
        .article(&url(addr, "/news/blocked-1"), None)
        .await
        .unwrap_err();
    assert!(err.is_disallowed(), "{err:?}");
    assert!(!err.is_transient());
    let message = err.to_string();
    assert!(message.contains("/news/blocked-1"), "{message}");
    assert!(message.contains("robots.txt disallows it"), "{message}");
    // Our own group applies, not the * group.
    fetcher
        .article(&url(addr, "/news/private-1"), None)
        .await
        .unwrap();
    // A feed request is not checked.
    fetcher
        .get(&url(addr, "/news/blocked-2"), None)
        .await
        .unwrap();

    let seen = paths(&log);
    assert_eq!(
        seen.iter().filter(|p| *p == "/robots.txt").count(),
        1,
        "one robots.txt fetch: {seen:?}"
    );
    assert!(!seen.contains(&"/news/blocked-1".to_string()), "{seen:?}");
    assert!(seen.contains(&"/news/blocked-2".to_string()), "{seen:?}");
    assert_eq!(seen.len(), 1 + 8 + 1 + 1, "{seen:?}");
}

/// 404 for robots.txt: everything allowed. 500: nothing fetched, with a message that says why.
/// `robots = false`: robots.txt is never asked for.
#[tokio::test]
async fn robots_404_allows_500_disallows_and_off_means_never_asked() {
    let (missing, missing_log) = robots_server(404, "not here").await;
    let fetcher = Fetcher::new(&config_allowing(missing.port())).unwrap();
    fetcher
        .article(&url(missing, "/news/a"), None)
        .await
        .unwrap();
    assert_eq!(paths(&missing_log), ["/robots.txt", "/news/a"]);

    let (broken, broken_log) = robots_server(500, "oops").await;
    let fetcher = Fetcher::new(&config_allowing(broken.port())).unwrap();
    for page in ["/news/a", "/news/b"] {
        let err = fetcher.article(&url(broken, page), None).await.unwrap_err();
        assert!(err.is_disallowed(), "{err:?}");
        let message = err.to_string();
        assert!(message.contains("robots.txt disallows it"), "{message}");
        assert!(message.contains("HTTP 500"), "{message}");
    }
    // Asked once: the answer is kept (for ten minutes) rather than asked per page.
    assert_eq!(paths(&broken_log), ["/robots.txt"]);

    let (off, off_log) = robots_server(200, "User-agent: *\nDisallow: /\n").await;
    let fetcher = Fetcher::new(&FetchConfig {
        robots: false,
        ..config_allowing(off.port())
    })
    .unwrap();
    fetcher.article(&url(off, "/news/a"), None).await.unwrap();
    assert_eq!(paths(&off_log), ["/news/a"]);
}

/// A `Crawl-delay` for our group spaces the starts of page requests to that host (the
/// configured spacing here is none).
#[tokio::test]
async fn crawl_delay_spaces_requests_to_the_host() {
    let (addr, log) =
        robots_server(200, "User-agent: wiredesk\nCrawl-delay: 0.4\nAllow: /\n").await;
    let fetcher = Fetcher::new(&config_allowing(addr.port())).unwrap();
    for i in 0..3 {
        fetcher
            .article(&url(addr, &format!("/news/{i}")), None)
            .await
            .unwrap();
    }
    let log = log.lock().unwrap().clone();
    let pages: Vec<Instant> = log
        .iter()
        .filter(|(p, _)| p.starts_with("/news/"))
        .map(|(_, t)| *t)
        .collect();
    assert_eq!(pages.len(), 3);
    for pair in pages.windows(2) {
        let gap = pair[1] - pair[0];
        // Timer slack is on the late side only: never sooner than the delay.
        assert!(gap >= Duration::from_millis(390), "{gap:?}");
    }
}

/// Only the first 500 KiB of a robots.txt are read: a huge file is no error, and the rules at
/// its start hold.
#[tokio::test]
async fn a_huge_robots_txt_is_read_up_to_the_cap() {
    let mut text = String::from("User-agent: *\nDisallow: /news/blocked\n");
    while text.len() < 700 * 1024 {
        text.push_str("# padding padding padding padding padding padding padding\n");
    }
    let text: &'static str = Box::leak(text.into_boxed_str());
    let (addr, log) = robots_server(200, text).await;
    let fetcher = Fetcher::new(&config_allowing(addr.port())).unwrap();
    fetcher.article(&url(addr, "/news/ok"), None).await.unwrap();
    let err = fetcher
        .article(&url(addr, "/news/blocked"), None)
        .await
        .unwrap_err();
    assert!(err.is_disallowed(), "{err:?}");
    assert_eq!(paths(&log), ["/robots.txt", "/news/ok"]);
}
