"""The population dashboard (/kependudukan) from the harvested Dukcapil datasets."""
