//! Real `--format json` output of every diagnosis validates against the
//! published schema (schema/report-v1.json).

use crate::common;

use common::scenarios::{answered, scenario};
use common::{Doctor, KEY};
use openai_keycheck::vocab::DiagnosisId;
use serde_json::Value;
use strum::IntoEnumIterator;

fn schema() -> Value {
    serde_json::from_str(include_str!("../schema/report-v1.json")).unwrap()
}

#[test]
fn every_diagnosis_validates_against_the_schema() {
    let schema = schema();
    let validator = jsonschema::validator_for(&schema).expect("the schema compiles");
    for id in DiagnosisId::iter() {
        let run = scenario(id, &|d| d.json());
        let json = run.json();
        assert_eq!(run.diagnosis(), id.name(), "{}", run.stdout);
        let errors: Vec<String> = validator
            .iter_errors(&json)
            .map(|e| format!("{e} at {}", e.instance_path()))
            .collect();
        assert!(errors.is_empty(), "{id}: {errors:#?}\n{}", run.stdout);
    }
}

#[test]
fn the_schema_rejects_what_it_should() {
    let validator = jsonschema::validator_for(&schema()).unwrap();
    let mut json = answered(200, "200_models.json").json();
    assert!(validator.is_valid(&json));
    json["diagnosis"]["id"] = "renamed".into();
    assert!(
        !validator.is_valid(&json),
        "an unknown diagnosis id must not validate"
    );
    let mut json = answered(200, "200_models.json").json();
    json["key"]["fingerprint"] = KEY.into();
    assert!(
        !validator.is_valid(&json),
        "a fingerprint is 12 hex digits, never the key"
    );
}

#[test]
fn findings_and_sources_of_a_busy_run_validate() {
    let validator = jsonschema::validator_for(&schema()).unwrap();
    let run = Doctor::new()
        .key(&format!("'{KEY}'\n"))
        .file(".env", "OPENAI_API_KEY=sk-other\nBROKEN LINE\n")
        .file(".openai/auth.json", "not json")
        .env("OPENAI_BASE_URL", "")
        .env("OPENAI_API_BASE", "x")
        .env("OPENAI_ADMIN_KEY", "sk-admin-x")
        .env("OPENAI_CUSTOM_HEADERS", "Authorization: Bearer x")
        .args(&["--offline", "--strict"])
        .json()
        .run();
    let json = run.json();
    let errors: Vec<String> = validator.iter_errors(&json).map(|e| e.to_string()).collect();
    assert!(errors.is_empty(), "{errors:#?}\n{}", run.stdout);
    assert!(run.finding_ids().len() >= 6, "{:?}", run.finding_ids());
}
