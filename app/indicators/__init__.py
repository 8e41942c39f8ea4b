""" "What to Watch" indicators: series of observations with vintages, and their targets."""
