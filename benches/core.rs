//! The core's cost per operation, natively: what the JS boundary adds is the
//! difference from `bash scripts/bench.sh`'s ops/s.

#[cfg(not(target_arch = "wasm32"))]
mod native {
    use criterion::Criterion;
    use partner_oauth::{
        Client, ClientOptions, Entropy, HttpRequest, HttpResponse, Secret, StartOptions,
    };
    use std::hint::black_box;

    const NOW: u64 = 1_700_000_000;
    const BILLIT: &str = r#"{"token_type":"Bearer","expires_in":3600,"access_token":"b-access-token-0123456789","refresh_token":"b-refresh-token-0123456789"}"#;
    const PAYFIT: &str = r#"{"access_token":"pf-access-token-0123456789","token_type":"bearer"}"#;

    fn client(provider: &str) -> Client {
        let options = ClientOptions::from_json(&serde_json::json!({
            "provider": provider, "clientId": "bench-client", "clientSecret": "bench-secret",
            "redirectUri": "https://app.example.com/oauth/callback",
            "endpoints": {"authorize": "https://as.example.com/authorize", "token": "https://as.example.com/token"},
        }).to_string()).unwrap();
        Client::new(options).unwrap()
    }

    pub fn benches(c: &mut Criterion) {
        let custom = client("custom");
        let entropy = Entropy {
            verifier: [7; 32],
            nonce: [9; 16],
        };
        let start = StartOptions {
            scopes: vec!["read".into(), "write".into()],
            ..Default::default()
        };
        c.bench_function("startFlow", |b| {
            b.iter(|| {
                custom
                    .start_authorization(black_box(&start), NOW, &entropy)
                    .unwrap()
            })
        });

        let started = custom.start_authorization(&start, NOW, &entropy).unwrap();
        let callback = format!(
            "https://app.example.com/oauth/callback?code=abc&state={}",
            started.state
        );
        c.bench_function("checkCallback", |b| {
            b.iter(|| {
                custom
                    .parse_callback(black_box(&callback), started.pending.expose(), NOW)
                    .unwrap()
            })
        });

        let request = HttpRequest {
            method: "POST",
            url: String::new(),
            headers: vec![],
            body: None,
            secrets: vec![],
            scopes: vec![],
        };
        for (name, provider, body) in [
            ("parseBillit", "billit", BILLIT),
            ("parsePayfit", "payfit", PAYFIT),
        ] {
            let client = client(provider);
            let response = HttpResponse {
                status: 200,
                www_authenticate: None,
                body: body.into(),
            };
            c.bench_function(name, |b| {
                b.iter(|| {
                    client
                        .parse_token_response(&request, black_box(&response), NOW, None)
                        .unwrap()
                })
            });
        }

        let refresh = Secret::new("b-refresh-token-0123456789");
        c.bench_function("refreshRequest", |b| {
            b.iter(|| custom.refresh_request(black_box(&refresh), &[]).unwrap())
        });
    }
}

#[cfg(not(target_arch = "wasm32"))]
criterion::criterion_group!(benches, native::benches);
#[cfg(not(target_arch = "wasm32"))]
criterion::criterion_main!(benches);

#[cfg(target_arch = "wasm32")]
fn main() {}
