"""Pure domain logic: enums, status ladders, units, field catalogue, validation. No I/O, no Qt."""
