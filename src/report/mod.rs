//! Rendering a scored message: text for people, JSON for machines, HTML for sharing.
