# a release names its target: the product default, groups, or both
$PCTL product firmware release my-product 3
