"""The fact-checker's side: conflict and verification rules, flags, reviews, ranks."""
