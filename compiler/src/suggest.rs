//! "Did you mean ...?": the closest candidate by optimal-string-alignment edit distance.

/// The candidate closest to `word`, if it is close enough to be a plausible typo: at most one edit
/// for short words, two for medium and three for long ones; ties go to the first candidate.
/// Case-only differences always match.
pub fn did_you_mean<'c, I>(word: &str, candidates: I) -> Option<&'c str>
where
    I: IntoIterator<Item = &'c str>,
{
    let max = match word.chars().count() {
        0..=3 => 1,
        4..=8 => 2,
        _ => 3,
    };
    let lower = word.to_lowercase();
    let mut best: Option<(usize, &'c str)> = None;
    for cand in candidates {
        if cand == word {
            continue;
        }
        let d = if cand.to_lowercase() == lower {
            0
        } else {
            distance(word, cand)
        };
        if d <= max && best.is_none_or(|(bd, _)| d < bd) {
            best = Some((d, cand));
        }
    }
    best.map(|(_, c)| c)
}

/// Optimal string alignment distance (Levenshtein plus adjacent transpositions).
pub fn distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    if a.len().abs_diff(b.len()) > 3 && a.len().min(b.len()) < 64 {
        return a.len().abs_diff(b.len());
    }
    let w = b.len() + 1;
    let mut prev2 = vec![0usize; w];
    let mut prev: Vec<usize> = (0..w).collect();
    let mut cur = vec![0usize; w];
    for i in 1..=a.len() {
        cur[0] = i;
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut v = (prev[j] + 1).min(cur[j - 1] + 1).min(prev[j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                v = v.min(prev2[j - 2] + 1);
            }
            cur[j] = v;
        }
        std::mem::swap(&mut prev2, &mut prev);
        std::mem::swap(&mut prev, &mut cur);
    }
    prev[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_common_typos() {
        let fields = [
            "dependencies",
            "depends",
            "template",
            "templateRef",
            "arguments",
        ];
        assert_eq!(did_you_mean("dependancies", fields), Some("dependencies"));
        assert_eq!(did_you_mean("tempalte", fields), Some("template"));
        assert_eq!(did_you_mean("TemplateRef", fields), Some("templateRef"));
        assert_eq!(did_you_mean("image", fields), None);
    }

    #[test]
    fn distance_counts_transpositions_once() {
        assert_eq!(distance("ab", "ba"), 1);
        assert_eq!(distance("kitten", "sitting"), 3);
        assert_eq!(distance("", "abc"), 3);
    }
}
