//! One file per diagnosis, named after its id: its documentation (the doc
//! comment at the top, which the reference page is generated from), when it
//! applies, and its checklists. `registry.rs` lists them in order.

pub(crate) mod account_disabled;
pub(crate) mod api_version_unsupported;
pub(crate) mod bad_request;
pub(crate) mod client_mismatch;
pub(crate) mod deployment_not_found;
pub(crate) mod insecure_base_url;
pub(crate) mod invalid_api_key;
pub(crate) mod ip_not_allowed;
pub(crate) mod key_empty;
pub(crate) mod key_malformed;
pub(crate) mod key_missing;
pub(crate) mod key_only_in_file;
pub(crate) mod model_not_found;
pub(crate) mod network_access_denied;
pub(crate) mod network_error;
pub(crate) mod offline;
pub(crate) mod ok;
pub(crate) mod organization_mismatch;
pub(crate) mod other_service;
pub(crate) mod permission_denied;
pub(crate) mod process_unreadable;
pub(crate) mod project_mismatch;
pub(crate) mod quota_exceeded;
pub(crate) mod rate_limited;
pub(crate) mod restricted_key;
pub(crate) mod role_missing;
pub(crate) mod server_error;
pub(crate) mod setting_missing;
pub(crate) mod unexpected_response;
pub(crate) mod unsupported_region;
pub(crate) mod untrusted_base_url;
pub(crate) mod wrong_base_url;
