struct Stats do
  count :: Int
  names :: List<String>
end

service Registry do
  fn init() -> Stats do
    Stats { count: 0, names: [] }
  end

  call Register(name :: String) :: Int do |st|
    let next = Stats { count: st.count + 1, names: List.append(st.names, name) }
    (next, next.count)
  end

  call Names() :: List<String> do |st|
    (st, st.names)
  end

  cast Clear() do |_st|
    Stats { count: 0, names: [] }
  end
end

fn main() do
  let r = Registry.start()
  let a = Registry.register(r, "ann")
  let b = Registry.register(r, "bob")
  println("${a} ${b} ${Registry.names(r)}")
  Registry.clear(r)
  println("${Registry.names(r)}")
end
