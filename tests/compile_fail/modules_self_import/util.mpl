import Util

pub fn name() -> String = "util"
