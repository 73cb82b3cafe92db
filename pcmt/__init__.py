"""PCMT: the management system of the National Target Program on drug prevention and control."""
