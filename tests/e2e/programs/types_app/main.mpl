import Inventory.Model
import Inventory.Store
from Inventory.Model import Item, Status, Page, Entry, summary

fn helper() -> String do
  "main"
end

fn main() do
  let a = Item { name: "bolt", qty: 3, price: 0.25, tag: Some("hw") }
  let b = Item { name: "nut", qty: 10, price: 0.1, tag: None }
  println(summary(a))
  println("${Store.total_cost([a, b])}")
  println(Store.labels([a, b]))
  let s = Store.empty() |> Store.push(1) |> Store.push(2)
  println("${Store.size(s)} ${s}")
  println("${Store.largest([4, 8, 1], 0)} ${Store.largest(["x", "y"], "")}")
  println("${helper()} ${Store.name()}")
  let page = Page { items: [a, b], total: 2 }
  let text = Json.encode(page)
  println(text)
  case Page.from_json(text) do
    Ok(p) -> println("decoded ${p.total} ${List.length(p.items)} ${List.head(p.items) == a}")
    Err(e) -> println("error: ${e}")
  end
  let entries = [Entry { status: Active, value: 1 }, Entry { status: Backorder(5), value: 2 }, Entry { status: Retired("old"), value: 3 }]
  let etext = Json.encode(Page { items: entries, total: 3 })
  println(etext)
  case Page.from_json(etext) do
    Ok(p) -> println("statuses ${p.items |> List.map(fn(e) -> "${e.status}" end) |> String.join(" ")}")
    Err(e) -> println("error: ${e}")
  end
  case Item.from_json("{\"name\": \"x\"}") do
    Ok(_) -> println("unexpected")
    Err(e) -> println("missing field rejected")
  end
  println("${Model.Active == Active}")
end
