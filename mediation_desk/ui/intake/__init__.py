"""The intake window: the registration form, its fields and parties, the receipt, importing a transfer packet."""
