pub fn shout(s :: String) -> String = s + 1
