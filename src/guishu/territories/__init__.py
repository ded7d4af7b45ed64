"""Territories (区域划分): which rule a new lead or pool customer falls under, the fair pick of
a rep under that rule, the record of why, and the anti-hoarding signals."""
