(* a comment *)
(** An odoc comment. *)
let total prices k =
  let sum = ref 0 in
  let (a, b) = (1, 2) in
  List.iter (fun p -> sum := !sum + p) prices;
  for i = 0 to 3 do sum := !sum + i done;
  while !sum > 100 do sum := !sum - 1 done;
  if !sum > 10 then sum := 10 else sum := 0;
  let pair (x, y) = x + y in
  match prices with
  | [] -> k + a + b
  | first :: rest -> first + List.length rest + pair (a, b)
  | other -> 0

let twice = function x -> x * 2
