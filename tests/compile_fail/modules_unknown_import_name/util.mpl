pub fn shout(s :: String) -> String = s <> "!"
pub fn speak(s :: String) -> String = s
