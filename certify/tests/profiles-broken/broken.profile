# broken: a profile with a typo in a placeholder, which certify must refuse.
description = broken on purpose
binary = /bin/true
args = {kernal}
