//! Kubernetes' quantity grammar (`resource.ParseQuantity`), for AW105.
//!
//! ```text
//! <quantity>        ::= <signedNumber><suffix>
//! <suffix>          ::= <binarySI> | <decimalExponent> | <decimalSI>
//! <binarySI>        ::= Ki | Mi | Gi | Ti | Pi | Ei
//! <decimalSI>       ::= n | u | m | "" | k | M | G | T | P | E
//! <decimalExponent> ::= "e" <signedNumber> | "E" <signedNumber>   (an integer exponent)
//! <signedNumber>    ::= <number> | <sign><number>
//! <number>          ::= <digits> | <digits>.<digits> | <digits>. | .<digits>
//! ```
//!
//! Surrounding whitespace is trimmed, as `Quantity.UnmarshalJSON` does. Only syntax is checked;
//! values too large to represent are accepted (Kubernetes rounds them).

/// Why a string is not a quantity.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum QuantityError {
    Empty,
    /// No digits where the number should be (`Mi`, `.`, `-`).
    MissingNumber,
    /// The text after the number is not a known suffix (`100x`, `1.2.3`, `1mi`).
    BadSuffix,
}

impl QuantityError {
    pub(crate) fn reason(self) -> &'static str {
        match self {
            QuantityError::Empty => "it is empty",
            QuantityError::MissingNumber => "it does not start with a number",
            QuantityError::BadSuffix => "the suffix is not one Kubernetes knows",
        }
    }
}

/// Checks `text` against the quantity grammar.
pub(crate) fn parse_quantity(text: &str) -> Result<(), QuantityError> {
    let s = text.trim();
    if s.is_empty() {
        return Err(QuantityError::Empty);
    }
    let b = s.as_bytes();
    let mut i = usize::from(matches!(b[0], b'+' | b'-'));
    let int_start = i;
    while i < b.len() && b[i].is_ascii_digit() {
        i += 1;
    }
    let mut digits = i - int_start;
    if i < b.len() && b[i] == b'.' {
        i += 1;
        let frac_start = i;
        while i < b.len() && b[i].is_ascii_digit() {
            i += 1;
        }
        digits += i - frac_start;
    }
    if digits == 0 {
        return Err(QuantityError::MissingNumber);
    }
    if valid_suffix(&s[i..]) {
        Ok(())
    } else {
        Err(QuantityError::BadSuffix)
    }
}

fn valid_suffix(suffix: &str) -> bool {
    match suffix {
        "" | "n" | "u" | "m" | "k" | "M" | "G" | "T" | "P" | "E" => true,
        "Ki" | "Mi" | "Gi" | "Ti" | "Pi" | "Ei" => true,
        _ => {
            let Some(exp) = suffix.strip_prefix(['e', 'E']) else {
                return false;
            };
            let digits = exp.strip_prefix(['+', '-']).unwrap_or(exp);
            !digits.is_empty() && digits.bytes().all(|c| c.is_ascii_digit())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_the_kubernetes_grammar() {
        for ok in [
            "0", "0.5", "500m", "1Gi", "1e3", "1E3", "+1", "-1", ".5Mi", "5.", "2", "100Mi",
            "1.5Gi", "10k", "1E", "1e-3", "1e+3", "250n", "3u", " 1Gi ", "0001",
        ] {
            assert_eq!(parse_quantity(ok), Ok(()), "{ok:?} should be a quantity");
        }
    }

    #[test]
    fn rejects_what_kubernetes_rejects() {
        assert_eq!(parse_quantity(""), Err(QuantityError::Empty));
        assert_eq!(parse_quantity("  "), Err(QuantityError::Empty));
        assert_eq!(parse_quantity("100x"), Err(QuantityError::BadSuffix));
        assert_eq!(parse_quantity("1.2.3"), Err(QuantityError::BadSuffix));
        assert_eq!(parse_quantity("1mi"), Err(QuantityError::BadSuffix));
        assert_eq!(parse_quantity("1K"), Err(QuantityError::BadSuffix));
        assert_eq!(parse_quantity("1e"), Err(QuantityError::BadSuffix));
        assert_eq!(parse_quantity("1e1.5"), Err(QuantityError::BadSuffix));
        assert_eq!(parse_quantity("1 Gi"), Err(QuantityError::BadSuffix));
        assert_eq!(parse_quantity("Mi"), Err(QuantityError::MissingNumber));
        assert_eq!(parse_quantity("."), Err(QuantityError::MissingNumber));
        assert_eq!(parse_quantity("-"), Err(QuantityError::MissingNumber));
        assert_eq!(parse_quantity("++1"), Err(QuantityError::MissingNumber));
    }
}
