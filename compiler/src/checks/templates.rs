//! Template body checks (AW81x): fields allowed per template type, numeric ranges, container
//! images and script sources.

pub(crate) mod empty_script_source;
pub(crate) mod missing_image;
pub(crate) mod out_of_range_value;
pub(crate) mod unsupported_template_field;
