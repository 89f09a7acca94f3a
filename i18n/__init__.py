"""What a reader sees: locale and timezone choice, catalogs, Money and exchange rates."""
