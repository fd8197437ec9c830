import Alpha

pub fn b() -> String = "b"
