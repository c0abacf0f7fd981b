-- a line comment
{- A block comment. -}
module Cart where

-- | A Haddock comment.
total :: [Int] -> Int -> Int
total prices k = go 0 prices
  where
    go acc [] = acc
    go acc (p:ps) = if p > k then go (acc + p) ps else go acc ps

scale :: Int -> Int
scale x = let y = x * 2 in case Just y of
  Just w -> w
  z -> 0

twice :: Int -> Int
twice = \n -> n * 2
