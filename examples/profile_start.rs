//! A loop for profilers (valgrind --tool=callgrind): start + callback.
use partner_oauth::{Client, ClientOptions, Entropy, StartOptions};

fn main() {
    let options = ClientOptions::from_json(
        r#"{"provider":"custom","clientId":"c","clientSecret":"s","redirectUri":"https://app.example.com/cb",
            "endpoints":{"authorize":"https://as.example.com/a","token":"https://as.example.com/t"}}"#,
    )
    .expect("options");
    let client = Client::new(options).expect("client");
    let start = StartOptions {
        scopes: vec!["read".into(), "write".into()],
        ..Default::default()
    };
    let entropy = Entropy {
        verifier: [7; 32],
        nonce: [9; 16],
    };
    let mut total = 0;
    for _ in 0..20_000 {
        let started = client
            .start_authorization(&start, 1_700_000_000, &entropy)
            .expect("start");
        let url = format!(
            "https://app.example.com/cb?code=abc&state={}",
            started.state
        );
        let callback = client
            .parse_callback(&url, started.pending.expose(), 1_700_000_000)
            .expect("callback");
        total += callback.code.expose().len();
    }
    println!("{total}");
}
