"""Demo data for Claimtrack, built from the two seed documents."""
