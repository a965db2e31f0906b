//! The article's language: the declared tag (`<html lang>`, Content-Language, `og:locale`,
//! JSON-LD `inLanguage`) normalised to BCP 47, else whatlang's guess on the body text.

/// Normalises a declared language ("en_US" → "en-US", "EN" → "en"); `None` for junk.
pub fn normalize(tag: &str) -> Option<String> {
    let t = tag.trim().replace('_', "-");
    let mut parts = t.split('-').filter(|p| !p.is_empty());
    let primary = parts.next()?.to_ascii_lowercase();
    if !(2..=3).contains(&primary.len()) || !primary.chars().all(|c| c.is_ascii_alphabetic()) {
        return None;
    }
    let mut out = primary;
    if let Some(region) = parts.next() {
        if region.len() == 2 && region.chars().all(|c| c.is_ascii_alphabetic()) {
            out.push('-');
            out.push_str(&region.to_ascii_uppercase());
        } else if region.len() == 4 && region.chars().all(|c| c.is_ascii_alphabetic()) {
            out.push('-');
            let mut cs = region.chars();
            out.extend(cs.next().map(|c| c.to_ascii_uppercase()));
            out.push_str(&cs.as_str().to_ascii_lowercase());
        }
    }
    Some(out)
}

/// Detects the language of body text; `None` when unsure.
pub fn detect(text: &str) -> Option<String> {
    let sample: String = text.chars().take(3000).collect();
    if sample.chars().filter(|c| c.is_alphabetic()).count() < 40 {
        return None;
    }
    let info = whatlang::detect(&sample)?;
    if !info.is_reliable() && info.confidence() < 0.5 {
        return None;
    }
    let code = info.lang().code();
    let two = match code {
        "eng" => "en",
        "spa" => "es",
        "por" => "pt",
        "fra" => "fr",
        "deu" => "de",
        "ita" => "it",
        "nld" => "nl",
        "rus" => "ru",
        "ukr" => "uk",
        "pol" => "pl",
        "ces" => "cs",
        "slk" => "sk",
        "swe" => "sv",
        "dan" => "da",
        "nob" => "nb",
        "fin" => "fi",
        "tur" => "tr",
        "ell" => "el",
        "kor" => "ko",
        "jpn" => "ja",
        "cmn" => "zh",
        "ara" => "ar",
        "heb" => "he",
        "hin" => "hi",
        "vie" => "vi",
        "ind" => "id",
        "tha" => "th",
        "ron" => "ro",
        "hun" => "hu",
        "bul" => "bg",
        "hrv" => "hr",
        "srp" => "sr",
        "cat" => "ca",
        "pes" => "fa",
        "ben" => "bn",
        "tgl" => "tl",
        "afr" => "af",
        other => other,
    };
    Some(two.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn declared_tags_normalise() {
        assert_eq!(normalize("en_us").as_deref(), Some("en-US"));
        assert_eq!(normalize("pt-br").as_deref(), Some("pt-BR"));
        assert_eq!(normalize("EN").as_deref(), Some("en"));
        assert_eq!(normalize("zh-hant-tw").as_deref(), Some("zh-Hant"));
        assert_eq!(normalize("{{lang}}"), None);
    }

    #[test]
    fn detects_english_and_portuguese() {
        assert_eq!(detect("The committee said on Tuesday that it would investigate the matter further and report back to the full Senate next month.").as_deref(), Some("en"));
        assert_eq!(detect("O governo anunciou nesta terça-feira que vai investigar o caso e apresentar um relatório ao Congresso no próximo mês.").as_deref(), Some("pt"));
    }
}
