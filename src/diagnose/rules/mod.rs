//! One file per diagnosis, named after its id: its documentation (the doc
//! comment at the top, which the reference page is generated from), when it
//! applies, and its checklists. `registry.rs` lists them in order.

pub mod account_disabled;
pub mod api_version_unsupported;
pub mod bad_request;
pub mod client_mismatch;
pub mod deployment_not_found;
pub mod insecure_base_url;
pub mod invalid_api_key;
pub mod ip_not_allowed;
pub mod key_empty;
pub mod key_malformed;
pub mod key_missing;
pub mod key_only_in_file;
pub mod model_not_found;
pub mod network_access_denied;
pub mod network_error;
pub mod offline;
pub mod ok;
pub mod organization_mismatch;
pub mod permission_denied;
pub mod project_mismatch;
pub mod quota_exceeded;
pub mod rate_limited;
pub mod restricted_key;
pub mod role_missing;
pub mod server_error;
pub mod setting_missing;
pub mod unexpected_response;
pub mod unsupported_region;
pub mod untrusted_base_url;
pub mod wrong_base_url;
