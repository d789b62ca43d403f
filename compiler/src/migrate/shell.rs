//! Just enough of the POSIX shell to find commands in a container's `sh -c` script: words with
//! single quotes, double quotes and backslashes, split into simple commands at `;`, `&&`, `||`,
//! `|`, `&` and newlines, `#` comments skipped. Expansions (`$X`, `$(…)`) stay literal text.
//! Linear in the script's length.

/// The simple commands of `script`, each as its words.
pub fn commands(script: &str) -> Vec<Vec<String>> {
    let mut out: Vec<Vec<String>> = Vec::new();
    let mut words: Vec<String> = Vec::new();
    let mut word = String::new();
    let mut in_word = false;
    let mut chars = script.chars().peekable();
    let end_word = |word: &mut String, in_word: &mut bool, words: &mut Vec<String>| {
        if *in_word {
            words.push(std::mem::take(word));
            *in_word = false;
        }
    };
    while let Some(c) = chars.next() {
        match c {
            '\'' => {
                in_word = true;
                for q in chars.by_ref() {
                    if q == '\'' {
                        break;
                    }
                    word.push(q);
                }
            }
            '"' => {
                in_word = true;
                while let Some(q) = chars.next() {
                    match q {
                        '"' => break,
                        '\\' => match chars.peek() {
                            Some(&e @ ('"' | '\\' | '$' | '`')) => {
                                word.push(e);
                                chars.next();
                            }
                            Some('\n') => {
                                chars.next();
                            }
                            _ => word.push('\\'),
                        },
                        q => word.push(q),
                    }
                }
            }
            '\\' => match chars.next() {
                Some('\n') | None => {}
                Some(e) => {
                    in_word = true;
                    word.push(e);
                }
            },
            '#' if !in_word => {
                for q in chars.by_ref() {
                    if q == '\n' {
                        break;
                    }
                }
                end_word(&mut word, &mut in_word, &mut words);
                if !words.is_empty() {
                    out.push(std::mem::take(&mut words));
                }
            }
            ';' | '&' | '|' | '\n' => {
                end_word(&mut word, &mut in_word, &mut words);
                if !words.is_empty() {
                    out.push(std::mem::take(&mut words));
                }
            }
            c if c.is_whitespace() => end_word(&mut word, &mut in_word, &mut words),
            c => {
                in_word = true;
                word.push(c);
            }
        }
    }
    end_word(&mut word, &mut in_word, &mut words);
    if !words.is_empty() {
        out.push(words);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(s: &[&str]) -> Vec<String> {
        s.iter().map(|w| w.to_string()).collect()
    }

    #[test]
    fn splits_commands_and_words() {
        assert_eq!(
            commands(
                "set -e; argo submit /wf/a.yaml -p 'msg=hello world' && echo \"done \\\"ok\\\"\""
            ),
            [
                words(&["set", "-e"]),
                words(&["argo", "submit", "/wf/a.yaml", "-p", "msg=hello world"]),
                words(&["echo", "done \"ok\""]),
            ]
        );
        assert_eq!(
            commands("cp /workflow.yml /mnt/work/  # copy\nls | wc -l"),
            [
                words(&["cp", "/workflow.yml", "/mnt/work/"]),
                words(&["ls"]),
                words(&["wc", "-l"]),
            ]
        );
        assert_eq!(commands("a\\\nb ''"), [words(&["ab", ""])]);
        assert!(commands("").is_empty());
        assert_eq!(commands("'unterminated"), [words(&["unterminated"])]);
    }
}
