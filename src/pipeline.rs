//! The one place that wires the stages in order: poll a feed, fetch each item's page, extract,
//! dedupe and store.
