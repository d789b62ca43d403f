//! Template body checks (AW81x): fields allowed per template type, numeric ranges, container
//! images, script sources, HTTP bodies and plugin bodies.

pub(crate) mod empty_script_source;
pub(crate) mod invalid_http_body;
pub(crate) mod invalid_plugin_template;
pub(crate) mod missing_image;
pub(crate) mod out_of_range_value;
pub(crate) mod unsupported_template_field;
