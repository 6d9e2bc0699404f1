"""The impact log: service improvements peer workers raised, followed through their stages."""
