-- a line comment
--[[ A block comment. ]]
local function total(prices, k)
  local sum = 0
  local pending
  local a, b = 1, 2
  sum = a + b
  for i, p in ipairs(prices) do sum = sum + p end
  for j = 1, 3 do sum = sum + j end
  if sum > 10 then sum = 10 elseif sum > 5 then sum = 5 else sum = 0 end
  while sum > 100 do sum = sum - 1 end
  repeat sum = sum + 1 until sum > 0
  do local inner = sum end
  local twice = function(x) return x * 2 end
  return twice(sum) + prices.n + prices:len() + k
end
