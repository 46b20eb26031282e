"""The counter's citizen-facing second screen and the 好差评 (docs/ratings.md)."""
