pub fn shout(s :: String) -> String = s <> "!"
