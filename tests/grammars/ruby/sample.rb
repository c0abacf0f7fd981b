# a line comment
=begin
A block comment.
=end
module Shop
  class Cart
    def total(prices, discount = 0, *rest, tax:, rate: 2, **opts, &blk)
      sum = 0
      a, b = rest
      sum = a + b
      sum += discount
      for p in prices
        sum = sum + p
      end
      if sum > 10
        sum = 10
      elsif sum > 5
        sum = 5
      else
        sum -= 1
      end
      unless sum > 0
        sum = 0
      end
      while sum > 100
        sum -= 1
      end
      until sum < 0
        sum -= 1
      end
      sum += 1 while sum < 0
      sum -= 1 until sum < 50
      case sum
      when 1 then sum = 2
      end
      prices.each { |x| sum += x }
      twice = ->(y) { y * 2 }
      begin
        prices.fetch(9)
      rescue IndexError => e
        sum = 0
      end
      twice.call(sum) + rate
    end

    def self.make; end
  end
end
