import Beta

pub fn a() -> String = Beta.b()
