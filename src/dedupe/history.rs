//! Versions by the story's own time, not by arrival.
//!
//! In: an incoming text that is a near-duplicate of a stored story, its publication time, and
//! how it relates to each of the story's versions ([`Relation`]). Out: a [`Plan`]: the text is
//! another appearance (perhaps a cut), or a version placed by publication time, with the
//! versions it supersedes.
//!
//! One relation decides, *dominance*: text Y dominates text X when
//! - Y strictly extends X (holds it whole and adds paragraphs) and was published no later
//!   than X: X is a **cut** of Y (an early breaking cut published before the full story is
//!   *not* dominated: it is an earlier version), or
//! - Y resembles X (an edited copy, a station's own lede or rewrite) and was published before
//!   X; on equal times the version already stored stays (the only case where arrival decides).
//!
//! A dominated incoming text is an appearance (`is_cut` when a fuller text dominates it). An
//! incoming text that no version dominates is a version: the versions it dominates leave the
//! history (their appearances become cuts or plain appearances) and it is placed among the
//! rest by publication time. Ingesting the same texts in any order therefore ends with the
//! same history: the texts no other dominates, oldest first.

/// How the incoming text relates to one stored version.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Relation {
    /// The incoming text holds the version whole and adds paragraphs (an update, or the full
    /// story of which the version was a cut).
    Extends,
    /// The version holds the incoming text whole and adds paragraphs (the incoming text is a
    /// cut, or an earlier shorter version).
    ExtendedBy,
    /// Same story, neither holds the other (an edited copy, a rewrite, another lede).
    Resembles,
    /// Not found to be the same text (another version of the story matched instead).
    Unrelated,
}

/// What is known of one stored version.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VersionFacts {
    /// Its number.
    pub version: i64,
    /// Its publication time as sortable UTC text (RFC 3339, `Z`), else when it was seen.
    pub published_at: String,
    /// How the incoming text relates to it.
    pub relation: Relation,
}

/// Where the incoming text goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Placement {
    /// A new last version: nothing superseded, nothing reordered.
    Append,
    /// A version placed before the last, or one that supersedes stored versions: the history
    /// is rebuilt.
    Rebuild,
    /// Another appearance of the story's text.
    Appearance,
    /// An appearance that is a cut of a fuller text published no later.
    Cut,
}

/// A stored version the incoming text supersedes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Dropped {
    /// The version.
    pub version: i64,
    /// True when it is a cut of the incoming text (its appearances get `is_cut`).
    pub cut: bool,
}

/// The decision of [`place`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Plan {
    /// Where the incoming text goes.
    pub placement: Placement,
    /// For a version: its 0-based place among the versions kept.
    pub position: usize,
    /// For a version: the stored versions it supersedes.
    pub dropped: Vec<Dropped>,
}

/// Places an incoming text published at `published_at` (sortable UTC text) against the
/// story's versions, oldest first. See the module docs.
pub fn place(published_at: &str, versions: &[VersionFacts]) -> Plan {
    let p = published_at;
    let cut_of = versions
        .iter()
        .any(|v| v.relation == Relation::ExtendedBy && v.published_at.as_str() <= p);
    let copy_of = versions
        .iter()
        .any(|v| v.relation == Relation::Resembles && v.published_at.as_str() <= p);
    if cut_of || copy_of {
        let placement = if cut_of {
            Placement::Cut
        } else {
            Placement::Appearance
        };
        return Plan {
            placement,
            position: 0,
            dropped: Vec::new(),
        };
    }
    let dropped: Vec<Dropped> = versions
        .iter()
        .filter_map(|v| match v.relation {
            Relation::Extends if p <= v.published_at.as_str() => Some(Dropped {
                version: v.version,
                cut: true,
            }),
            Relation::Resembles if p < v.published_at.as_str() => Some(Dropped {
                version: v.version,
                cut: false,
            }),
            _ => None,
        })
        .collect();
    let kept: Vec<&VersionFacts> = versions
        .iter()
        .filter(|v| !dropped.iter().any(|d| d.version == v.version))
        .collect();
    let position = kept.iter().filter(|v| v.published_at.as_str() <= p).count();
    let placement = if dropped.is_empty() && position == kept.len() {
        Placement::Append
    } else {
        Placement::Rebuild
    };
    Plan {
        placement,
        position,
        dropped,
    }
}

#[cfg(test)]
mod tests {
    use super::Relation::*;
    use super::*;

    fn v(version: i64, at: &str, relation: Relation) -> VersionFacts {
        VersionFacts {
            version,
            published_at: format!("2021-05-03T{at}:00Z"),
            relation,
        }
    }

    fn t(at: &str) -> String {
        format!("2021-05-03T{at}:00Z")
    }

    #[test]
    fn a_cut_published_at_or_after_the_full_story_is_an_appearance_marked_cut() {
        for at in ["12:00", "13:00"] {
            let plan = place(&t(at), &[v(1, "12:00", ExtendedBy)]);
            assert_eq!(plan.placement, Placement::Cut, "{at}");
        }
    }

    #[test]
    fn a_cut_published_before_the_full_story_is_an_earlier_version() {
        let plan = place(&t("11:30"), &[v(1, "12:00", ExtendedBy)]);
        assert_eq!(
            plan,
            Plan {
                placement: Placement::Rebuild,
                position: 0,
                dropped: vec![]
            }
        );
    }

    #[test]
    fn the_full_story_after_its_own_cut_supersedes_it_or_follows_it() {
        // The cut was published later: it was cut from this text.
        let plan = place(&t("12:00"), &[v(1, "12:30", Extends)]);
        assert_eq!(plan.placement, Placement::Rebuild);
        assert_eq!(
            plan.dropped,
            [Dropped {
                version: 1,
                cut: true
            }]
        );
        assert_eq!(plan.position, 0);
        // The cut came first: the full story is the next version (an update reads the same).
        let plan = place(&t("12:00"), &[v(1, "11:30", Extends)]);
        assert_eq!(plan.placement, Placement::Append);
        assert_eq!(plan.position, 1);
    }

    #[test]
    fn copies_never_make_versions_and_an_older_copy_takes_the_place_of_a_newer_one() {
        for at in ["12:00", "12:10"] {
            assert_eq!(
                place(&t(at), &[v(1, "12:00", Resembles)]).placement,
                Placement::Appearance
            );
        }
        let plan = place(&t("11:50"), &[v(1, "12:00", Resembles)]);
        assert_eq!(plan.placement, Placement::Rebuild);
        assert_eq!(
            plan.dropped,
            [Dropped {
                version: 1,
                cut: false
            }]
        );
    }

    #[test]
    fn an_earlier_version_goes_between_by_time() {
        // Breaking cut 11:00, full 12:00, update 16:00; a 60% cut published 12:30 is a cut of
        // the full story even though the update is later.
        let history = [
            v(1, "11:00", Extends),
            v(2, "12:00", ExtendedBy),
            v(3, "16:00", ExtendedBy),
        ];
        assert_eq!(place(&t("12:30"), &history).placement, Placement::Cut);
        // A middle version, published 11:30, between the breaking cut and the full story.
        let plan = place(&t("11:30"), &history);
        assert_eq!(plan.placement, Placement::Rebuild);
        assert_eq!(plan.position, 1);
        assert!(plan.dropped.is_empty());
    }

    #[test]
    fn every_arrival_order_ends_with_the_same_history() {
        // Texts: B (breaking, 11:00) ⊂ F (12:00) ⊂ U (16:00); C (cut of F, 12:30) ⊂ F;
        // E (edited copy of F, 12:20) resembles F. History: B, F, U.
        #[derive(Clone, Copy, PartialEq, Debug)]
        enum X {
            B,
            F,
            U,
            C,
            E,
        }
        use X::*;
        let time = |x: X| match x {
            B => t("11:00"),
            F => t("12:00"),
            U => t("16:00"),
            C => t("12:30"),
            E => t("12:20"),
        };
        // How `a` (incoming) relates to `b` (stored).
        let rel = |a: X, b: X| -> Relation {
            let size = |x: X| match x {
                B => 1,
                C => 2,
                F | E => 3,
                U => 4,
            };
            match (a, b) {
                (E, F) | (F, E) => Resembles,
                (E, B) | (E, C) => Extends,
                (B, E) | (C, E) => ExtendedBy,
                (E, U) => ExtendedBy,
                (U, E) => Extends,
                _ if size(a) > size(b) => Extends,
                _ if size(a) < size(b) => ExtendedBy,
                _ => Resembles,
            }
        };
        let orders: [[X; 5]; 4] = [
            [B, F, U, C, E],
            [U, E, C, F, B],
            [C, B, E, U, F],
            [E, U, B, C, F],
        ];
        for order in orders {
            let mut history: Vec<X> = Vec::new();
            for x in order {
                let facts: Vec<VersionFacts> = history
                    .iter()
                    .enumerate()
                    .map(|(i, h)| VersionFacts {
                        version: i as i64 + 1,
                        published_at: time(*h),
                        relation: rel(x, *h),
                    })
                    .collect();
                let plan = place(&time(x), &facts);
                match plan.placement {
                    Placement::Append | Placement::Rebuild => {
                        let mut kept: Vec<X> = history
                            .iter()
                            .enumerate()
                            .filter(|(i, _)| {
                                !plan.dropped.iter().any(|d| d.version == *i as i64 + 1)
                            })
                            .map(|(_, h)| *h)
                            .collect();
                        kept.insert(plan.position, x);
                        history = kept;
                    }
                    Placement::Appearance | Placement::Cut => {}
                }
            }
            assert_eq!(history, [B, F, U], "order {order:?}");
        }
    }
}
